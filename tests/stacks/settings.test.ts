/**
 * One table, every layer: each of the detector's tuning settings (the contract's DETECTOR_TUNING,
 * ranged by SETTINGS) is a stack key, reaches the model's environment under its ENV name, and is
 * read back by the container's configuration, which refuses what the component refuses.
 */
import * as assert from "assert";
import { DETECTOR_TUNING, ENV, SETTINGS } from "@crowd-emotions/face-detection-contract";
import { loadConfig } from "../../container/src/config";
import { readStackConfig, runProgram } from "../../tools/stack";

describe("the detector's settings, from one table", () => {
    it("flow from the stack file to the container's environment and back into its configuration", async () => {
        // Each at its maximum: a value no default has.
        const config = readStackConfig("prod");
        for (const name of DETECTOR_TUNING) {
            config[`face-detection:${name}`] = String(SETTINGS[name].max);
        }
        const run = await runProgram("prod", config);
        const environment = run.resources.find((r) => r.type === "aws:sagemaker/model:Model")!.inputs.primaryContainer.environment;
        for (const name of DETECTOR_TUNING) {
            assert.strictEqual(environment[ENV[name]], String(SETTINGS[name].max), name);
        }
        const read = loadConfig(environment, 2, () => true, () => "vnni");
        assert.deepStrictEqual(Object.fromEntries(DETECTOR_TUNING.map((name) => [name, read[name]])),
            Object.fromEntries(DETECTOR_TUNING.map((name) => [name, SETTINGS[name].max])));
    });

    it("are refused out of range by the stack, the component and the container alike, each naming the setting", async () => {
        for (const name of DETECTOR_TUNING) {
            const over = String(SETTINGS[name].max + 1);
            await assert.rejects(() => runProgram("prod", { ...readStackConfig("prod"), [`face-detection:${name}`]: over }),
                new RegExp(`face-detection:${name} must be an? (integer|number) from`));
            assert.throws(() => loadConfig({ CROPS_BUCKET: "crops-bucket", [ENV[name]]: over }, 2, () => true, () => "vnni"), new RegExp(`${ENV[name]} must be`));
        }
    });
});
