/**
 * Every command-line tool, run as the command a user runs (the package's bins, no npm banner):
 * `--help` on stdout with exit 0; an unknown flag or a bad value refused with the usage on stderr,
 * nothing on stdout, exit 2.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { REPO_ROOT } from "../../tools/paths";

const run = (command: string, args: string[]) => {
    const result = spawnSync(path.join(REPO_ROOT, "node_modules", ".bin", command), args, { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

const TOOLS = ["face-detection-start", "face-detection-invoke", "face-detection-watch", "face-detection-moods", "face-detection-bench", "face-detection-policy-check"];

describe("the command-line tools", function () {
    this.timeout(120_000);

    for (const tool of TOOLS) {
        it(`${tool}: --help on stdout, exit 0; an unknown flag refused with the usage on stderr, exit 2`, () => {
            const help = run(tool, ["--help"]);
            assert.strictEqual(help.status, 0, help.stderr);
            assert.match(help.stdout, /^Usage: /);
            const bad = run(tool, ["--no-such-flag"]);
            assert.strictEqual(bad.status, 2, bad.stderr);
            assert.strictEqual(bad.stdout, "");
            assert.match(bad.stderr, /no-such-flag/);
            assert.match(bad.stderr, /Usage: /);
        });
    }

    const usageErrors: [string, string[], RegExp][] = [
        ["face-detection-bench", ["--soak", "--minutes", "abc"], /--minutes must be a number of minutes above 0/],
        ["face-detection-bench", ["--soak", "--crowd"], /One mode at a time, got --soak and --crowd/],
        ["face-detection-policy-check", ["--stack", "--config", "policy/enforcement.json"], /--stack/],
        ["face-detection-policy-check", ["--stack", "dev", "--config", "no-such-file.json"], /--config no-such-file\.json: not a readable policy config/],
        ["face-detection-invoke", ["--local"], /Name at least one image to send/],
        ["face-detection-watch", ["clip.mp4", "--local"], /--stream <id> is required/],
        ["face-detection-moods", ["--stream", "a", "--since", "1y"], /--since must be a duration/],
    ];
    for (const [tool, args, message] of usageErrors) {
        it(`${tool} ${args.join(" ")}: a usage error, exit 2`, () => {
            const result = run(tool, args);
            assert.strictEqual(result.status, 2, result.stdout + result.stderr);
            assert.strictEqual(result.stdout, "");
            assert.match(result.stderr, message);
        });
    }

    it("face-detection-policy-check --json: the findings as JSON alone on stdout, pipeable", () => {
        const result = run("face-detection-policy-check", ["--stack", "prod", "--json"]);
        assert.strictEqual(result.status, 0, result.stderr);
        const report = JSON.parse(result.stdout) as { stack: string; findings: { policy: string }[] };
        assert.strictEqual(report.stack, "prod");
    });
});
