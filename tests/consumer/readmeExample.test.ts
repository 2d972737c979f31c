import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../tools/paths";

describe("the README's example of a consumer's unit test", () => {
    it("is tests/consumer/consumer.test.ts, as it is", () => {
        const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
        const example = fs.readFileSync(path.join(__dirname, "consumer.test.ts"), "utf8");
        assert.ok(readme.includes("```ts\n" + example.trimEnd() + "\n```"), "README.md shows tests/consumer/consumer.test.ts");
    });
});
