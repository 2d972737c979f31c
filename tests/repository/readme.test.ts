/**
 * The README's tables say what the code does: every policy of the pack and every argument of the
 * detector component has a row.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { POLICIES } from "../../policy/src/policies";
import { CONFIG_KEYS } from "../../stacks/config";
import { REPO_ROOT } from "../../tools/paths";

const README = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

describe("the README's tables", () => {
    it("list every policy of the pack, with its level", () => {
        const enforcement = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policy", "enforcement.json"), "utf8"));
        for (const policy of POLICIES) {
            const row = README.split("\n").find((line) => line.startsWith(`| \`${policy.name}\``));
            assert.ok(row, `the policy table has no row for ${policy.name}`);
            const level = typeof enforcement[policy.name] === "string" ? enforcement[policy.name] : enforcement[policy.name].enforcementLevel;
            assert.ok(row!.includes(`| ${level} |`), `${policy.name}'s row says ${level}`);
        }
    });

    it("list every stack key of the detector's arguments", () => {
        const stageKeys = /^(name|emotions.*)$/;
        for (const key of Object.keys(CONFIG_KEYS).filter((k) => !stageKeys.test(k))) {
            assert.ok(README.includes(`| \`${key}\` |`), `the argument table has no row for ${key}`);
        }
    });
});
