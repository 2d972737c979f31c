/**
 * `npm run bench [-- --quick | --soak | --crowd | --attack | --scales | --streams] [--minutes N]`:
 * the detector server (and the emotion stage) measured on this machine against the targets in
 * targets.ts. One mode per run, chosen from MODES; each prints its table and PASS/FAIL lines,
 * writes bench-results/<mode>-<time>.json, and the process exits 1 when a target is missed, 2 on
 * bad usage.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "node:util";
import { startEmbeddedS3 } from "../local/embeddedS3";
import { BenchMode, BUCKET, createContext, describeMachine } from "./context";
import { attack } from "./modes/attack";
import { crowd } from "./modes/crowd";
import { full } from "./modes/full";
import { scales } from "./modes/scales";
import { soak } from "./modes/soak";
import { streams } from "./modes/streams";

/** The modes, by their flag; none given runs `full`. */
export const MODES: Readonly<Record<string, BenchMode>> = { full, soak, crowd, attack, scales, streams };

export class UsageError extends Error {}

export const USAGE = `Usage: npm run bench -- [--quick] [--${Object.keys(MODES).filter((m) => m !== "full").join(" | --")}] [--minutes N]
${Object.entries(MODES).map(([name, mode]) => `  --${name.padEnd(8)} ${mode.summary}${mode.defaultMinutes ? ` (${mode.defaultMinutes} min; --minutes N)` : ""}`).join("\n")}
  --quick    shorter levels (full and crowd)
Exits 1 when a target is missed, 2 on bad usage.`;

export interface BenchArgs {
    readonly mode: string;
    readonly quick: boolean;
    readonly minutes?: number;
    readonly help: boolean;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
    let values;
    try {
        ({ values } = parseArgs({
            args: [...argv], strict: true, allowPositionals: false,
            options: {
                ...Object.fromEntries(Object.keys(MODES).map((name) => [name, { type: "boolean" as const }])),
                quick: { type: "boolean" }, minutes: { type: "string" }, help: { type: "boolean" },
            },
        }));
    } catch (error) {
        throw new UsageError((error as Error).message.split("\n")[0]);
    }
    const chosen = Object.keys(MODES).filter((name) => (values as Record<string, unknown>)[name] === true);
    if (chosen.length > 1) {
        throw new UsageError(`One mode at a time, got ${chosen.map((m) => `--${m}`).join(" and ")}.`);
    }
    const mode = chosen[0] ?? "full";
    let minutes: number | undefined;
    if (values.minutes !== undefined) {
        if (MODES[mode].defaultMinutes === undefined) {
            throw new UsageError(`--minutes applies to ${Object.keys(MODES).filter((m) => MODES[m].defaultMinutes).map((m) => `--${m}`).join(" and ")} only.`);
        }
        minutes = Number(values.minutes);
        if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60) {
            throw new UsageError(`--minutes must be a number of minutes above 0 (at most a day), got "${values.minutes}".`);
        }
    }
    return { mode, quick: values.quick === true, minutes, help: values.help === true };
}

export async function main(argv: string[]): Promise<number> {
    let args: BenchArgs;
    try {
        args = parseBenchArgs(argv);
    } catch (error) {
        console.error(`${(error as Error).message}\n\n${USAGE}`);
        return 2;
    }
    if (args.help) {
        console.log(USAGE);
        return 0;
    }
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "bench-s3-"));
    const s3 = await startEmbeddedS3({ directory, bucket: BUCKET });
    try {
        const machine = describeMachine();
        // Speeds differ most with the CPU's 8-bit kernels, which also decide what DETECTOR_PRECISION=auto runs.
        console.log(`Machine: ${machine.cpus} CPUs (${machine.cpuModel}), 8-bit kernels: ${machine.int8Support}, ${machine.memoryGb} GiB, Node ${machine.node}`);
        const passed = await MODES[args.mode].run(createContext(s3, machine), args);
        return passed ? 0 : 1;
    } finally {
        await s3.close();
        fs.rmSync(directory, { recursive: true, force: true });
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
        console.error(error instanceof Error ? error.stack : error);
        process.exit(1);
    });
}
