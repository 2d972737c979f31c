/**
 * The README and docs/ say what the code does: every policy of the pack and every argument of the
 * detector component has a row in its table, and every link between the pages, and to the
 * repository's files, leads somewhere.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { POLICIES } from "../../policy/src/policies";
import { CONFIG_KEYS } from "../../stacks/config";
import { REPO_ROOT } from "../../tools/paths";

const read = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
const PAGES = ["README.md", ...fs.readdirSync(path.join(REPO_ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** GitHub's anchor of a heading. */
const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-");

function anchorsOf(text: string): Set<string> {
    const anchors = new Set<string>();
    let fenced = false;
    for (const line of text.split("\n")) {
        fenced = line.startsWith("```") ? !fenced : fenced;
        if (!fenced && /^#{1,6} /.test(line)) {
            anchors.add(slug(line.replace(/^#+ /, "")));
        }
    }
    return anchors;
}

describe("the README and docs/", () => {
    it("list every policy of the pack, with its level", () => {
        const table = read("docs/policy.md");
        const enforcement = JSON.parse(read("policy/enforcement.json"));
        for (const policy of POLICIES) {
            const row = table.split("\n").find((line) => line.startsWith(`| \`${policy.name}\``));
            assert.ok(row, `the policy table has no row for ${policy.name}`);
            const level = typeof enforcement[policy.name] === "string" ? enforcement[policy.name] : enforcement[policy.name].enforcementLevel;
            assert.ok(row!.includes(`| ${level} |`), `${policy.name}'s row says ${level}`);
        }
    });

    it("list every stack key of the detector's arguments", () => {
        const table = read("docs/components.md");
        const stageKeys = /^(name|emotions.*)$/;
        for (const key of Object.keys(CONFIG_KEYS).filter((k) => !stageKeys.test(k))) {
            assert.ok(table.includes(`| \`${key}\` |`), `the argument table has no row for ${key}`);
        }
    });

    it("link only to pages, headings and files that exist", () => {
        const broken: string[] = [];
        for (const page of PAGES) {
            const text = read(page);
            const fenceFree = text.replace(/```[\s\S]*?```/g, "");
            for (const [, target] of fenceFree.matchAll(/\]\(([^)\s]+)\)/g)) {
                if (/^[a-z]+:/.test(target)) {
                    continue;
                }
                const [file, anchor] = target.split("#");
                const resolved = file === "" ? page : path.normalize(path.join(path.dirname(page), file));
                if (!fs.existsSync(path.join(REPO_ROOT, resolved))) {
                    broken.push(`${page}: ${target} (no ${resolved})`);
                } else if (anchor && resolved.endsWith(".md") && !anchorsOf(read(resolved)).has(anchor)) {
                    broken.push(`${page}: ${target} (no heading #${anchor} in ${resolved})`);
                }
            }
        }
        assert.deepStrictEqual(broken, []);
    });

    it("keep the README to what a user reads first: a few hundred lines, every page linked", () => {
        const readme = read("README.md");
        assert.ok(readme.split("\n").length <= 400, `${readme.split("\n").length} lines`);
        for (const page of PAGES.filter((p) => p !== "README.md")) {
            assert.ok(readme.includes(`](${page})`), `README links ${page}`);
        }
    });
});
