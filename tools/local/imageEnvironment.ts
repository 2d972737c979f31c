import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../paths";

const DOCKERFILE = path.join(REPO_ROOT, "container", "Dockerfile");

/**
 * The variables the image's runtime stage sets with `ENV KEY=value`, so that a server started
 * here (npm start, the benchmark, the tests) runs as the image runs it, from one definition.
 */
export function imageEnvironment(dockerfile = fs.readFileSync(DOCKERFILE, "utf8")): Record<string, string> {
    const lines = dockerfile.split("\n");
    const runtimeStage = lines.slice(lines.map((line) => line.startsWith("FROM ")).lastIndexOf(true));
    const env: Record<string, string> = {};
    for (const line of runtimeStage.filter((l) => l.startsWith("ENV "))) {
        for (const pair of line.slice(4).trim().split(/\s+/)) {
            const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(pair);
            if (!match) {
                throw new Error(`${path.relative(REPO_ROOT, DOCKERFILE)}: "${line}" is not ENV KEY=value.`);
            }
            env[match[1]] = match[2];
        }
    }
    return env;
}
