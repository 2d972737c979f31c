// Bundles the emotion stage's Lambda handler (emotions/src/handler.ts and what it imports, the AWS
// SDK clients included, at the versions this repository pins) into one file the CrowdEmotions
// component deploys: components/bin/crowdEmotions/handler/index.js. Deterministic: the same sources
// give the same bytes, so the function's code changes only when the handler does.
import { buildSync } from "esbuild";
import { fileURLToPath } from "url";
import * as path from "path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
buildSync({
    entryPoints: [path.join(root, "emotions", "src", "handler.ts")],
    outfile: path.join(root, "components", "bin", "crowdEmotions", "handler", "index.js"),
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    legalComments: "none",
    logLevel: "warning",
});
