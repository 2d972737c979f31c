import * as path from "path";

/** The repository's root: where package.json, Pulumi.yaml and the stack files are. Loads nothing else. */
export const REPO_ROOT = path.resolve(__dirname, "..");
