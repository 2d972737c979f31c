/**
 * `npm run invoke -- [--stack <name> | --endpoint <name> | --local] [--region <r>] [--json]
 *  [--stream <id>] [--captured-at <ISO time>] [--annotate <out.jpg>] <image>...`: sends images to a face-detection endpoint with the real
 * `InvokeEndpoint` API, deployed or local, and shows what it found.
 */
import { execFileSync } from "child_process";
import { parseArgs as parseArgv } from "node:util";
import * as fs from "fs";
import * as path from "path";
import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { checkCapturedAt, checkStream, formatFrameAttributes, FrameAttributeError, MAX_REQUEST_BYTES } from "@crowd-emotions/face-detection-contract";
import { drawBoxes } from "./local/annotate";
import { formatResult, InvocationResult, sheetCells } from "./local/format";
import { LOCAL_CREDENTIALS } from "./local/embeddedS3";

const CONTENT_TYPES: Record<string, string> = { ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png" };

export class UsageError extends Error {}

export interface InvokeOptions {
    readonly endpoint?: string;
    readonly stack?: string;
    readonly local: boolean;
    readonly region?: string;
    readonly json: boolean;
    readonly annotate?: string;
    /** The camera the frames come from (`stream` attribute); the endpoint's default otherwise. */
    readonly stream?: string;
    /** When they were captured (`captured-at`); their arrival otherwise. */
    readonly capturedAt?: Date;
    readonly images: string[];
}

/** An attribute's value, checked as the endpoint checks it, refused as a usage error naming the option. */
function attribute<T>(read: () => T): T {
    try {
        return read();
    } catch (error) {
        if (error instanceof FrameAttributeError) {
            throw new UsageError(`--${error.attribute}: ${error.message}`);
        }
        throw error;
    }
}

export const USAGE = `Usage: npm run invoke -- (--local | --endpoint <name> [--region <r>] | --stack <name>) [options] <image>...
  --local                 npm start's endpoint (PORT)
  --endpoint <name>       a deployed endpoint, with --region or the SDK's configuration
  --stack <name>          the endpoint and region a stack exported (needs the Pulumi CLI)
  --stream <id>           the camera's stream id (default: the endpoint's, "default")
  --captured-at <time>    the frames' capture time, ISO 8601 with a zone (default: their arrival)
  --annotate <out.jpg>    the image with each face boxed and labelled (one image)
  --json                  the answers as JSON
  --help`;

export function parseArgs(argv: readonly string[]): InvokeOptions & { help?: boolean } {
    let parsed;
    try {
        parsed = parseArgv({
            args: [...argv], allowPositionals: true, strict: true,
            options: {
                "endpoint": { type: "string" }, "stack": { type: "string" }, "region": { type: "string" }, "annotate": { type: "string" },
                "stream": { type: "string" }, "captured-at": { type: "string" }, "local": { type: "boolean" }, "json": { type: "boolean" },
                "help": { type: "boolean" },
            },
        });
    } catch (error) {
        // node:util names the option: "Unknown option '--colour'", "Option '--stream <value>' argument missing".
        throw new UsageError(`${(error as Error).message.split("\n")[0].replace(/\. To specify a positional argument.*$/, "")}.`.replace(/\.\.$/, "."));
    }
    const { values, positionals } = parsed;
    if (values.help) {
        return { local: false, json: false, images: [], help: true };
    }
    const options: InvokeOptions = {
        endpoint: values.endpoint, stack: values.stack, region: values.region, annotate: values.annotate,
        stream: values.stream === undefined ? undefined : attribute(() => checkStream(values.stream!)),
        capturedAt: values["captured-at"] === undefined ? undefined : attribute(() => checkCapturedAt(values["captured-at"]!, new Date())),
        local: values.local === true, json: values.json === true, images: positionals,
    };
    const targets = [options.endpoint, options.stack, options.local || undefined].filter((t) => t !== undefined);
    if (targets.length !== 1) {
        throw new UsageError("Choose one target: --stack <name>, --endpoint <name> or --local.");
    }
    if (options.images.length === 0) {
        throw new UsageError("Name at least one image to send.");
    }
    if (options.annotate && options.images.length !== 1) {
        throw new UsageError("--annotate draws on one image; send one at a time.");
    }
    return options;
}

/** Reads an image and its content type, refusing what SageMaker would refuse. */
export function readImage(file: string): { body: Buffer; contentType: string } {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
        throw new UsageError(`No such file: ${file}`);
    }
    const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()];
    if (!contentType) {
        throw new UsageError(`${file} is not a .jpg, .jpeg or .png file.`);
    }
    const size = fs.statSync(file).size;
    if (size > MAX_REQUEST_BYTES) {
        throw new UsageError(`${file} is ${(size / 1024 / 1024).toFixed(1)} MB; SageMaker real-time endpoints take at most 6 MB per request.`);
    }
    return { body: fs.readFileSync(file), contentType };
}

/** The endpoint name and region a stack exported, through the Pulumi CLI. */
export function endpointOfStack(stack: string, run = execFileSync): { endpointName: string; region?: string } {
    let output: string;
    try {
        output = run("pulumi", ["stack", "output", "--json", "--stack", stack], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) as string;
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
            throw new UsageError("--stack needs the Pulumi CLI (https://www.pulumi.com/docs/install/); without it, pass --endpoint <name>.");
        }
        throw new UsageError(`pulumi stack output failed for stack ${stack}: ${String((error as { stderr?: string }).stderr ?? error).trim()}`);
    }
    const outputs = JSON.parse(output) as { endpointName?: string; region?: string };
    if (!outputs.endpointName) {
        throw new UsageError(`Stack ${stack} exports no endpointName; has it been deployed?`);
    }
    return { endpointName: outputs.endpointName, region: outputs.region };
}

/** What went wrong, in a sentence a person can act on. */
export function describeError(error: any, endpointName: string, region: string): string {
    if (error instanceof UsageError) {
        return error.message;
    }
    if (error?.name === "ModelError") {
        let detail = error.OriginalMessage ?? error.message;
        try {
            detail = JSON.parse(detail).error ?? detail;
        } catch { /* not JSON: show as is */ }
        return `The endpoint answered ${error.OriginalStatusCode ?? "an error"}: ${detail}`;
    }
    if (error?.name === "ValidationError" && /not found/i.test(error.message)) {
        return `Endpoint ${endpointName} not found in ${region}.`;
    }
    if (error?.name === "CredentialsProviderError" || /credential/i.test(error?.message ?? "")) {
        return "No AWS credentials: configure them (aws configure, AWS_PROFILE or AWS_ACCESS_KEY_ID), or use --local.";
    }
    if (error?.code === "ECONNREFUSED" || /ECONNREFUSED|fetch failed/.test(String(error?.message) + String(error?.cause?.code))) {
        return `Nothing answers on ${localEndpoint()}: start the local endpoint with \`npm start\` (same PORT).`;
    }
    return String(error?.message ?? error);
}

/** Where `npm start` serves: the runtime endpoint variable, or localhost on PORT (as `npm start` reads it). */
export function localEndpoint(env: NodeJS.ProcessEnv = process.env): string {
    return env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME ?? `http://localhost:${env.PORT ?? 8080}`;
}

/**
 * The file's name without extension and a stamp of the moment, as a frame id the endpoint accepts:
 * the endpoint refuses (409) a second frame under an id it already stored for the stream that day,
 * and the same photo sent twice is two frames.
 */
export function frameIdOf(file: string, now = new Date()): string {
    const base = path.basename(file, path.extname(file)).replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 110) || "frame";
    return `${base}-${now.getTime().toString(36)}`;
}

export interface Invocation {
    readonly file: string;
    readonly result: InvocationResult;
}

export async function invoke(options: InvokeOptions, client?: SageMakerRuntimeClient): Promise<Invocation[]> {
    // A stack's endpoint is in the stack's region, whatever the shell's AWS_REGION says.
    const stack = options.stack === undefined ? undefined : endpointOfStack(options.stack);
    const endpointName = options.local ? "local" : options.endpoint ?? stack!.endpointName;
    const runtime = client ?? new SageMakerRuntimeClient({
        region: options.region ?? stack?.region ?? (options.local ? "us-east-1" : undefined),
        ...(options.local ? { endpoint: localEndpoint(), credentials: LOCAL_CREDENTIALS } : {}),
    });
    const results: Invocation[] = [];
    for (const file of options.images) {
        const { body, contentType } = readImage(file);
        const response = await runtime.send(new InvokeEndpointCommand({
            EndpointName: endpointName, Body: body, ContentType: contentType, Accept: "application/json",
            CustomAttributes: formatFrameAttributes({ stream: options.stream, capturedAt: options.capturedAt, frameId: frameIdOf(file) }),
        }));
        const result = JSON.parse(Buffer.from(response.Body!).toString("utf8")) as InvocationResult;
        if (options.annotate) {
            const cells = sheetCells(result);
            fs.writeFileSync(options.annotate, await drawBoxes(body, result.faces.map((f, i) => ({
                ...f.box, label: [f.score.toFixed(2), cells.get(i)].filter(Boolean).join(" "),
            }))));
        }
        results.push({ file, result });
    }
    return results;
}

export async function main(argv: string[]): Promise<number> {
    let options: (InvokeOptions & { help?: boolean }) | undefined;
    try {
        options = parseArgs(argv);
        if (options.help) {
            console.log(USAGE);
            return 0;
        }
        const results = await invoke(options);
        if (options.json) {
            console.log(JSON.stringify(results.length === 1 ? results[0].result : results.map((r) => ({ file: r.file, ...r.result })), null, 2));
        } else {
            console.log(results.map((r) => `${r.file}: ${formatResult(r.result)}`).join("\n\n"));
            if (options.annotate) {
                console.log(`\nAnnotated image: ${options.annotate}`);
            }
        }
        return 0;
    } catch (error) {
        const region = options?.region ?? process.env.AWS_REGION ?? "your region";
        console.error(describeError(error, options?.endpoint ?? options?.stack ?? "local", region) + (error instanceof UsageError && options === undefined ? `\n\n${USAGE}` : ""));
        return error instanceof UsageError ? 2 : 1;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code));
}
