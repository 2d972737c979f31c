import * as pulumi from "@pulumi/pulumi";
import { checkStream, NumericSetting, PACK_WINDOW, READ_INTERVAL, validatePrefix } from "@crowd-emotions/face-detection-contract";
import { checkRange, checkRequires, Problems } from "../shared/checks";
import { checkNetworkArgs } from "../shared/network";
import { checkLogRetention, DEFAULT_LOG_RETENTION_DAYS } from "../shared/logRetention";
import { CrowdEmotionsArgs } from "./args";

/** What the stage can read. */
export const EMOTION_INPUTS = ["sheets", "crops"] as const;

/** Defaults of the numeric arguments, and their ranges. */
export const EMOTION_RANGES = {
    retentionDays: { min: 1, max: 3650, integer: true, default: 30 },
    memorySizeMb: { min: 256, max: 10240, integer: true, default: 512 },
    timeoutSeconds: { min: 10, max: 900, integer: true, default: 60 },
    maxConcurrency: { min: 2, max: 1000, integer: true, default: 10 },
    maxAttempts: { min: 1, max: 20, integer: true, default: 5 },
    readIntervalSeconds: READ_INTERVAL,
    packWindowSeconds: PACK_WINDOW,
} as const satisfies Record<string, NumericSetting & { default: number }>;

/**
 * Checks every argument before anything is registered; with several bad ones, one error names
 * them all.
 */
export function validateEmotionArgs(args: CrowdEmotionsArgs): void {
    const problems = new Problems();
    const check = (validate: () => void) => problems.check(validate);
    for (const [key, range] of Object.entries(EMOTION_RANGES)) {
        check(() => checkRange(key, args[key as keyof typeof EMOTION_RANGES], range));
    }
    const set = (key: keyof CrowdEmotionsArgs) => args[key] !== undefined;
    for (const key of ["bucketName", "sheetsPrefix"] as const) {
        if (!set(key)) {
            problems.add(`\`${key}\` is required: where the face sheets are (CrowdEmotions.forDetector takes them from a FaceDetectionEndpoint).`);
        }
    }
    if (typeof args.sheetsPrefix === "string") {
        const problem = validatePrefix(args.sheetsPrefix);
        if (problem !== undefined) {
            problems.add(`\`sheetsPrefix\` ${problem}, got "${args.sheetsPrefix}".`);
        }
    }
    if (typeof args.input === "string" && !(EMOTION_INPUTS as readonly string[]).includes(args.input)) {
        problems.add(`\`input\` must be one of ${EMOTION_INPUTS.map((i) => `"${i}"`).join(", ")}, got "${args.input}".`);
    }
    check(() => checkRequires("alarmTopicArn", set("alarmTopicArn"), "alarms", args.alarms !== false));
    check(() => checkLogRetention("logRetentionDays", args.logRetentionDays));
    for (const stream of args.watchedStreams ?? []) {
        check(() => {
            try {
                checkStream(stream);
            } catch {
                throw new Error(`\`watchedStreams\` must hold stream ids (1-64 letters, digits, '.', '_' or '-'), got ${JSON.stringify(stream)}.`);
            }
        });
    }
    checkNetworkArgs(args.vpc, problems, { endpointOption: false, createsBucket: false });
    problems.throwIfAny();
}

/** The arguments with their defaults. */
export function resolveEmotionArgs(name: string, args: CrowdEmotionsArgs) {
    const value = (key: keyof typeof EMOTION_RANGES) => args[key] ?? EMOTION_RANGES[key].default;
    return {
        retentionDays: value("retentionDays"),
        memorySizeMb: value("memorySizeMb"),
        timeoutSeconds: value("timeoutSeconds"),
        maxConcurrency: value("maxConcurrency"),
        maxAttempts: value("maxAttempts"),
        readIntervalSeconds: value("readIntervalSeconds"),
        packWindowSeconds: value("packWindowSeconds"),
        watchedStreams: [...new Set(args.watchedStreams ?? [])],
        pipelineName: args.pipelineName ?? name,
        input: pulumi.output(args.input ?? "sheets"),
        forceDestroy: args.forceDestroy ?? false,
        logRetentionDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
        alarms: args.alarms ?? true,
    };
}

export type ResolvedEmotionArgs = ReturnType<typeof resolveEmotionArgs>;
