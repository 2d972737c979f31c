/** The crowd set alone: recall per resolution and face height, 1080p frames/s, false faces (e.g. to compare MIN_FACE_SIZE values). */
import { BenchMode, crowdSettings, printChecks, startServer } from "../context";
import { EmbeddedS3 } from "../../local/embeddedS3";
import { crowdVerdicts, measureCrowds, printCrowds } from "../crowdRun";

/** The crowd set measured with the defaults and with crops and sheets both stored (for the cost table). */
export function runCrowds(s3: EmbeddedS3, workers: number, levelMs: number) {
    return measureCrowds({
        both: () => startServer(s3, workers, "onnx", { ...crowdSettings(), CROP_OUTPUT: "both" }),
        defaults: () => startServer(s3, workers, "onnx", crowdSettings()),
    }, levelMs);
}

export const crowd: BenchMode = {
    summary: "the crowd set alone: recall, 1080p crowd frames/s, false faces",
    async run(context, options) {
        const levelMs = options.quick ? 6_000 : 20_000;
        const result = await runCrowds(context.s3, context.machine.cpus, levelMs);
        printCrowds(result);
        const checks = crowdVerdicts(result);
        const passed = printChecks(checks);
        console.log(`Results: ${context.writeResult("crowd", { levelMs, settings: crowdSettings(), crowd: result, checks })}`);
        return passed;
    },
};
