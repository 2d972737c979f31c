/**
 * s3rver 3.7 makes its listings' continuation tokens with single DES, which OpenSSL 3 (Node 17 and
 * later) keeps in its legacy provider: every listing past one page (1000 keys) fails with
 * InternalError. The tokens only need to be opaque and reversible, so within the processes that
 * run the embedded store (never the detector image), "des" is served by triple DES keyed with the
 * same 8 bytes three times: the same 8-byte blocks and IVs, the same tokens, from the default
 * provider. Installed once, before s3rver is loaded.
 */
import type * as Crypto from "crypto";

// The module object itself, which s3rver's require("crypto") also gets (an ES namespace import
// would be a copy).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeCrypto: typeof Crypto = require("crypto");

let installed = false;

type CipherFactory = (algorithm: string, key: Crypto.CipherKey, iv: Crypto.BinaryLike | null, options?: object) => unknown;

export function serveDesFromTripleDes(): void {
    if (installed) {
        return;
    }
    installed = true;
    const tripled = (key: Crypto.CipherKey) => Buffer.concat([0, 1, 2].map(() => Buffer.from(key as Buffer)));
    const patch = (name: "createCipheriv" | "createDecipheriv") => {
        const original = nodeCrypto[name] as unknown as CipherFactory;
        const replacement: CipherFactory = (algorithm, key, iv, options) =>
            (algorithm === "des" ? original("des-ede3-cbc", tripled(key), iv) : original(algorithm, key, iv, options));
        (nodeCrypto as unknown as Record<string, CipherFactory>)[name] = replacement;
    };
    patch("createCipheriv");
    patch("createDecipheriv");
}
