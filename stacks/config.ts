import { FaceDetectionEndpointArgs, NetworkArgs, validateArgs, validateEmotionArgs } from "@crowd-emotions/face-detection";
import { DETECTOR_TUNING, DetectorTuning, SETTINGS } from "@crowd-emotions/face-detection-contract";

/** How a config value is read from the stack file. */
type Kind = "string" | "integer" | "number" | "boolean" | "tags" | "strings" | "network";

const TUNING_KEYS = Object.fromEntries(DETECTOR_TUNING.map((name) => [name, SETTINGS[name].integer ? "integer" : "number"])) as Record<DetectorTuning, "integer" | "number">;

/**
 * Every key the program reads from the project's namespace, with its type. The keys are the
 * component's argument names, so the README's table and the component's TSDoc say the same thing.
 */
export const CONFIG_KEYS = {
    name: "string",
    endpointName: "string",
    instanceType: "string",
    initialInstanceCount: "integer",
    containerStartupTimeoutSeconds: "integer",
    serverless: "boolean",
    serverlessMemorySizeMb: "integer",
    serverlessMaxConcurrency: "integer",
    volumeKmsKeyArn: "string",
    dataCapture: "boolean",
    dataCapturePercentage: "integer",
    blueGreenDeployment: "boolean",
    blueGreenBakeSeconds: "integer",
    autoscaling: "boolean",
    minInstanceCount: "integer",
    maxInstanceCount: "integer",
    targetInvocationsPerInstance: "integer",
    alarms: "boolean",
    errorAlarmThreshold: "integer",
    latencyAlarmThresholdMs: "integer",
    alarmTopicArn: "string",
    createAlarmTopic: "boolean",
    alarmEmails: "strings",
    alarmHttpsEndpoints: "strings",
    dashboard: "boolean",
    logRetentionDays: "integer",
    roleArn: "string",
    rolePermissionsBoundaryArn: "string",
    bucketName: "string",
    cropsPrefix: "string",
    cropRetentionDays: "integer",
    bucketVersioning: "boolean",
    forceDestroy: "boolean",
    kmsKeyArn: "string",
    createKmsKey: "boolean",
    eventBridgeNotifications: "boolean",
    imageUri: "string",
    imageRetentionCount: "integer",
    buildImageOnPreview: "boolean",
    // The detector's tuning settings, one key each, typed by their row in the contract's SETTINGS.
    ...TUNING_KEYS,
    cropOutput: "string",
    workers: "integer",
    tags: "tags",
    // Private networking of the endpoint and the emotion stage: "create", "off", or
    // {"subnetIds": [...], "securityGroupIds": [...]} of an existing VPC.
    vpc: "network",
    // The emotion stage (CrowdEmotions), beside the detector.
    emotions: "boolean",
    emotionsRetentionDays: "integer",
    emotionsReadIntervalSeconds: "integer",
    emotionsPackWindowSeconds: "integer",
    emotionsWatchedStreams: "strings",
} as const satisfies Record<string, Kind>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** Keys outside the project's namespace that the program needs. */
export const REQUIRED_PROVIDER_KEYS = ["aws:region"] as const;

/** What the program builds from a stack's configuration. */
export interface StackSettings {
    /** Name of the component, and by default of the endpoint. */
    readonly name: string;
    readonly region: string;
    readonly args: FaceDetectionEndpointArgs;
    /**
     * The emotion stage's settings, when the stack has one (`emotions: true`). The stack's
     * `forceDestroy` and `logRetentionDays` apply to it as they do to the detector.
     */
    readonly emotions?: {
        readonly retentionDays?: number; readonly forceDestroy?: boolean; readonly logRetentionDays?: number;
        readonly readIntervalSeconds?: number; readonly packWindowSeconds?: number; readonly watchedStreams?: string[];
        readonly vpc?: NetworkArgs;
    };
}

/** Thrown when a stack file holds a value the program can't use. */
export class StackConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackConfigError";
    }
}

function parseValue(key: string, kind: Kind, raw: string, stackFile: string): unknown {
    const fail = (expected: string) =>
        new StackConfigError(`${key} in ${stackFile} must be ${expected}, got ${JSON.stringify(raw)}.`);
    switch (kind) {
        case "string":
            if (raw.trim() === "") {
                throw fail("a non-empty string");
            }
            return raw;
        case "boolean":
            if (raw !== "true" && raw !== "false") {
                throw fail("true or false");
            }
            return raw === "true";
        case "integer":
        case "number": {
            const value = raw.trim() === "" ? NaN : Number(raw);
            if (!Number.isFinite(value) || (kind === "integer" && !Number.isInteger(value))) {
                throw fail(kind === "integer" ? "an integer" : "a number");
            }
            return value;
        }
        case "tags":
            return parseJson(raw, (value) => typeof value === "object" && value !== null && !Array.isArray(value)
                && Object.values(value).every((v) => typeof v === "string"), () => fail("a map of strings"));
        case "strings":
            return parseJson(raw, (value) => Array.isArray(value) && value.every((v) => typeof v === "string"), () => fail("a list of strings"));
        case "network": {
            if (raw === "create" || raw === "off") {
                return raw === "create" ? { create: true } : undefined;
            }
            const expected = `"create", "off", or {"subnetIds": [...], "securityGroupIds": [...]}`;
            const strings = (value: unknown) => value === undefined || (Array.isArray(value) && value.every((v) => typeof v === "string"));
            return parseJson(raw, (value) => typeof value === "object" && value !== null && !Array.isArray(value)
                && Object.keys(value).every((k) => ["subnetIds", "securityGroupIds", "cidrBlock", "requireVpcEndpointForWrites", "create"].includes(k))
                && strings((value as Record<string, unknown>).subnetIds) && strings((value as Record<string, unknown>).securityGroupIds), () => fail(expected));
        }
    }
}

/** A structured value (the engine hands it over as JSON) of the shape `valid` accepts. */
function parseJson(raw: string, valid: (value: unknown) => boolean, fail: () => Error): unknown {
    let value: unknown;
    try {
        value = JSON.parse(raw);
    } catch {
        throw fail();
    }
    if (!valid(value)) {
        throw fail();
    }
    return value;
}

/**
 * Reads the stack's configuration as the engine hands it over (every value a string, structured
 * values as JSON) and validates it once: an unknown key, a missing one, a value of the wrong type
 * or out of range fails with the key, the value and the stack file to fix.
 */
export function parseStackConfig(
    config: Readonly<Record<string, string>>, project: string, stack: string,
): StackSettings {
    const stackFile = `Pulumi.${stack}.yaml`;
    for (const key of REQUIRED_PROVIDER_KEYS) {
        if (!config[key]) {
            throw new StackConfigError(`${key} is not set in ${stackFile}: run \`pulumi config set ${key} us-east-1\`.`);
        }
    }
    const known = Object.keys(CONFIG_KEYS);
    const values: Record<string, unknown> = {};
    // Every bad key and value at once, so one edit of the stack file fixes them all; the arguments'
    // own checks (which name all their problems too) follow once every value could be read.
    const problems: string[] = [];
    for (const [fullKey, raw] of Object.entries(config)) {
        if (!fullKey.startsWith(`${project}:`)) {
            continue;
        }
        const key = fullKey.slice(project.length + 1);
        if (!known.includes(key)) {
            const nearest = nearestKey(key, known);
            problems.push(`Unknown config key ${fullKey} in ${stackFile}; `
                + (nearest ? `did you mean ${project}:${nearest}?` : `the known keys are listed in docs/components.md (e.g. ${project}:instanceType).`));
            continue;
        }
        try {
            values[key] = parseValue(fullKey, CONFIG_KEYS[key as ConfigKey], raw, stackFile);
        } catch (error) {
            problems.push((error as Error).message);
        }
    }
    if (problems.length > 0) {
        throw new StackConfigError(problems.join("\n"));
    }
    const {
        name = `${project}-${stack}`, emotions = false, emotionsRetentionDays, emotionsReadIntervalSeconds, emotionsPackWindowSeconds, emotionsWatchedStreams,
        ...detectorArgs
    } = values as FaceDetectionEndpointArgs & {
        name?: string; emotions?: boolean; emotionsRetentionDays?: number; emotionsReadIntervalSeconds?: number; emotionsPackWindowSeconds?: number;
        emotionsWatchedStreams?: string[];
    };
    const stageKeys = { emotionsRetentionDays, emotionsReadIntervalSeconds, emotionsPackWindowSeconds, emotionsWatchedStreams };
    for (const [key, value] of Object.entries(stageKeys)) {
        if (value !== undefined && !emotions) {
            throw new StackConfigError(`${stackFile}: ${project}:${key} only applies with ${project}:emotions; set ${project}:emotions or remove ${project}:${key}.`);
        }
    }
    // The emotion stage reads the detector's new sheets from EventBridge.
    const args: FaceDetectionEndpointArgs = emotions ? { ...detectorArgs, eventBridgeNotifications: true } : detectorArgs;
    try {
        validateArgs(name, args);
    } catch (error) {
        // The component names its arguments; the stack file calls them `<project>:<argument>`.
        const message = (error as Error).message.replace(/`([A-Za-z]+)`/g, (_, arg) => `${project}:${arg}`);
        throw new StackConfigError(`${stackFile}: ${message}`);
    }
    const settings = { name, region: config["aws:region"], args };
    if (!emotions) {
        return settings;
    }
    const stage = {
        // The stage's network is the detector's setting, without the detector's bucket option.
        ...(args.vpc !== undefined && { vpc: { ...args.vpc, requireVpcEndpointForWrites: undefined } }),
        retentionDays: emotionsRetentionDays, forceDestroy: args.forceDestroy, logRetentionDays: args.logRetentionDays,
        readIntervalSeconds: emotionsReadIntervalSeconds, packWindowSeconds: emotionsPackWindowSeconds, watchedStreams: emotionsWatchedStreams,
    };
    try {
        validateEmotionArgs({ bucketName: "the-detectors-bucket", sheetsPrefix: "", ...stage });
    } catch (error) {
        // The stage's arguments are the stack's `emotions<Argument>` keys.
        const message = (error as Error).message.replace(/`(retentionDays|readIntervalSeconds|packWindowSeconds|watchedStreams)`/g,
            (_, arg: string) => `${project}:emotions${arg[0].toUpperCase()}${arg.slice(1)}`);
        throw new StackConfigError(`${stackFile}: ${message}`);
    }
    return { ...settings, emotions: stage };
}

/** The known key a typo most likely meant: at most a third of its letters off (Levenshtein). */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
    const distance = (a: string, b: string) => {
        let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
        for (let i = 1; i <= a.length; i++) {
            const current = [i];
            for (let j = 1; j <= b.length; j++) {
                current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.length];
    };
    const [best] = known.map((candidate) => ({ candidate, d: distance(key, candidate) })).sort((x, y) => x.d - y.d);
    return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.candidate : undefined;
}
