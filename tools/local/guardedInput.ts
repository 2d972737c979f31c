/**
 * s3rver 3.7.1 is the last release and carries dependencies with published advisories: busboy
 * 0.3 / dicer 0.3 (a malformed multipart body crashes the process; GHSA-wm7h-9275-46v2) and
 * fast-xml-parser 3 (prototype pollution through element names; CVE-2023-26920, fixed in 4.1.2).
 * Neither can be updated under it (busboy 1 and fast-xml-parser 4 changed their APIs), so this Koa
 * middleware, in front of s3rver's own, keeps untrusted input from reaching them:
 *
 * - multipart/form-data (S3's browser-form POST Object, the only request busboy parses) is refused:
 *   nothing of this project uploads that way;
 * - an XML body (DeleteObjects, CompleteMultipartUpload, bucket configurations) is read first, at
 *   most 1 MB, and refused if it declares a DOCTYPE or entity or names an element or attribute
 *   `__proto__`, `constructor` or `prototype`; otherwise s3rver reads the very same bytes.
 *
 * The store also listens on loopback only, for this machine's own processes.
 */
import { Readable } from "stream";

interface KoaContext {
    method: string;
    querystring: string;
    req: NodeJS.ReadableStream & { headers: Record<string, string | string[] | undefined> };
    get(header: string): string;
    status: number;
    type: string;
    body: unknown;
}
type Next = () => Promise<unknown>;

/** Largest XML body read: DeleteObjects takes at most 1,000 keys of 1,024 bytes each. */
export const MAX_XML_BODY_BYTES = 1024 * 1024 + 64 * 1024;
const FORBIDDEN_XML = /<!DOCTYPE|<!ENTITY|[<\s/](__proto__|constructor|prototype)[\s>=/]/i;
/** The requests whose body s3rver parses as XML: by the subresource their query names. */
const XML_SUBRESOURCE = /(^|&)(delete|uploadId|cors|website|tagging|lifecycle)(=|&|$)/;

function refuse(ctx: KoaContext, status: number, code: string, message: string): void {
    ctx.status = status;
    ctx.type = "application/xml";
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

async function readAtMost(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of stream) {
        length += (chunk as Buffer).length;
        if (length > limit) {
            return undefined;
        }
        chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
}

export function guardedInput() {
    return async (ctx: KoaContext, next: Next) => {
        if (ctx.get("content-type").toLowerCase().startsWith("multipart/form-data")) {
            return refuse(ctx, 501, "NotImplemented", "The embedded store takes no browser-form uploads (POST Object); use PutObject.");
        }
        if ((ctx.method !== "POST" && ctx.method !== "PUT") || !XML_SUBRESOURCE.test(ctx.querystring)) {
            return next();
        }
        const body = await readAtMost(ctx.req, MAX_XML_BODY_BYTES);
        if (body === undefined) {
            return refuse(ctx, 400, "MaxMessageLengthExceeded", `The XML body is over ${MAX_XML_BODY_BYTES} bytes.`);
        }
        if (FORBIDDEN_XML.test(body.toString("utf8"))) {
            return refuse(ctx, 400, "MalformedXML", "The XML declares a DOCTYPE or entity, or names __proto__, constructor or prototype.");
        }
        // s3rver reads the body from ctx.req as it would have: the same bytes, already read.
        ctx.req = Object.assign(Readable.from([body]), { headers: ctx.req.headers });
        return next();
    };
}
