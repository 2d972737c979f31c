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

describe("install hygiene", () => {
    it("downloads no GPU provider of ONNX Runtime: npm 11 or later is required, and it runs no install script of onnxruntime-node", () => {
        const manifest = readJson("package.json");
        assert.deepStrictEqual(manifest.devEngines.packageManager, { name: "npm", version: ">=11.0.0", onFail: "error" });
        assert.strictEqual(manifest.allowScripts["onnxruntime-node"], false);
        // No project config npm does not know (npm 11 warns of one, the next npm ignores it).
        assert.ok(!fs.existsSync(path.join(REPO_ROOT, ".npmrc")) || !/onnxruntime/.test(fs.readFileSync(path.join(REPO_ROOT, ".npmrc"), "utf8")));
        const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
            .flatMap((entry) => (entry.isDirectory() ? files(path.join(dir, entry.name)) : [entry.name]));
        const runtime = files(path.join(REPO_ROOT, "node_modules", "onnxruntime-node", "bin"));
        assert.ok(runtime.some((name) => name.startsWith("libonnxruntime.so") || name.endsWith(".dll") || name.endsWith(".dylib")), "the CPU runtime is there");
        assert.deepStrictEqual(runtime.filter((name) => /providers_(cuda|tensorrt)/.test(name)), []);
    });

    it("keeps TensorFlow.js and ONNX Runtime out of what a consumer of the components installs", () => {
        const lock = readJson("package-lock.json");
        // The packages' dependencies, resolved as npm resolves them from where each is installed.
        const closure = new Set<string>();
        const visit = (location: string) => {
            const entry = lock.packages[location];
            for (const name of Object.keys(entry?.dependencies ?? {})) {
                let dir = location;
                let found: string | undefined;
                for (;;) {
                    const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
                    if (lock.packages[candidate]) {
                        found = candidate;
                        break;
                    }
                    if (!dir) {
                        break;
                    }
                    dir = dir.includes("/node_modules/") ? dir.slice(0, dir.lastIndexOf("/node_modules/")) : "";
                }
                if (found && !closure.has(found)) {
                    closure.add(found);
                    visit(found);
                }
            }
        };
        visit("components");
        visit("contract");
        assert.ok(closure.size > 10, "the closure holds the AWS SDK clients");
        assert.deepStrictEqual([...closure].filter((p) => /@tensorflow|onnxruntime|@vladmandic/.test(p)), []);
    });
});
