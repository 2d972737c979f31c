/**
 * The conditional write the detector relies on, which s3rver 3.7 ignores: a PUT with
 * `If-None-Match: *` must not replace an object that exists. S3 answers 412 PreconditionFailed
 * then, and 409 ConditionalRequestConflict while another such write of the key is in flight
 * (S3 User Guide, "Conditional writes"); s3rver answers 200 and replaces the body, so locally a
 * reused frame id would overwrite (and, failing, delete) another request's objects. This Koa
 * middleware, put in front of s3rver's own, answers as S3 does. Keys are path-style
 * (`/<bucket>/<key>`), as every client of the embedded store sends them.
 */
import * as fs from "fs";
import * as path from "path";

interface KoaContext {
    method: string;
    path: string;
    querystring: string;
    get(header: string): string;
    status: number;
    type: string;
    body: unknown;
}
type Next = () => Promise<unknown>;

function s3Error(ctx: KoaContext, status: number, code: string, message: string): void {
    ctx.status = status;
    ctx.type = "application/xml";
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><Condition>If-None-Match</Condition></Error>`;
}

/** The middleware for a store whose objects s3rver keeps under `directory`. */
export function conditionalWrites(directory: string) {
    const inFlight = new Set<string>();
    return async (ctx: KoaContext, next: Next) => {
        // Whole-object PUTs only: a part of a multipart upload (?partNumber=) has no such condition.
        if (ctx.method !== "PUT" || ctx.get("if-none-match").trim() !== "*" || ctx.querystring.includes("partNumber=")) {
            return next();
        }
        const [, bucket, ...key] = ctx.path.split("/");
        const name = decodeURIComponent(key.join("/"));
        const stored = path.join(directory, bucket, `${name}._S3rver_object`);
        const id = `${bucket}/${name}`;
        if (inFlight.has(id)) {
            return s3Error(ctx, 409, "ConditionalRequestConflict", "A conditional request to this key is in progress; retry.");
        }
        if (fs.existsSync(stored)) {
            return s3Error(ctx, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
        }
        inFlight.add(id);
        try {
            return await next();
        } finally {
            inFlight.delete(id);
        }
    };
}
