/**
 * S3's "Object Deleted" events for multi-object deletes, which s3rver 3.7 does not emit (it emits
 * them for single DeleteObject calls only). The detector withdraws a failed frame with
 * DeleteObjects, and S3 sends one event per deleted key for it as for DeleteObject; this Koa
 * middleware, in front of s3rver's own, emits them on the server, in s3rver's event shape, once
 * s3rver has parsed the request's keys and answered.
 */
interface KoaContext {
    method: string;
    path: string;
    querystring: string;
    status: number;
    request: { body?: { Delete?: { Object?: { Key: string } | { Key: string }[] } } };
}
type Next = () => Promise<unknown>;

export interface RemovedEvent {
    readonly Records: readonly { eventName: string; s3: { bucket: { name: string }; object: { key: string } } }[];
}

/** The middleware; `emit` receives the event for the keys a successful DeleteObjects named. */
export function deleteEvents(emit: (event: RemovedEvent) => void) {
    return async (ctx: KoaContext, next: Next) => {
        await next();
        if (ctx.method !== "POST" || !/(^|&)delete(=|&|$)/.test(ctx.querystring) || ctx.status !== 200) {
            return;
        }
        const [, bucket] = ctx.path.split("/");
        const keys = [ctx.request.body?.Delete?.Object ?? []].flat().map((object) => object.Key);
        if (keys.length > 0) {
            emit({ Records: keys.map((key) => ({ eventName: "ObjectRemoved:Delete", s3: { bucket: { name: bucket }, object: { key } } })) });
        }
    };
}
