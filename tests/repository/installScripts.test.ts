import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../tools/paths";

const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), "utf8"));

/**
 * The package name of a lockfile entry such as `node_modules/@scope/name` or `a/node_modules/b`;
 * an aliased install (`docker-classic` for `@pulumi/docker`) carries its real name, which npm's
 * allowScripts goes by.
 */
const packageName = (location: string) => location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length);

describe("dependencies' install scripts", () => {
    it("every dependency with an install script is reviewed in package.json's allowScripts, and none runs", () => {
        // npm 11 runs no dependency's install script that allowScripts doesn't allow, and lists the
        // ones it doesn't cover after every install: a new dependency with a script must be reviewed here.
        const lock = readJson("package-lock.json");
        const withScripts = Object.entries<any>(lock.packages)
            .filter(([location, entry]) => location !== "" && entry.hasInstallScript && !entry.link)
            .map(([location, entry]) => entry.name ?? packageName(location));
        assert.ok(withScripts.includes("onnxruntime-node"), "the lockfile marks packages with install scripts");
        const { allowScripts } = readJson("package.json");
        assert.deepStrictEqual([...new Set(withScripts)].sort(), Object.keys(allowScripts).sort());
        assert.deepStrictEqual(Object.values(allowScripts).filter((allowed) => allowed !== false), []);
    });
});
