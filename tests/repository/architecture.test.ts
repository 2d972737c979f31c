/**
 * The detector's layout as docs/architecture.md draws it: rooms by concern under container/src,
 * each reached by others through its index only, no import circle between files or rooms, and
 * tools and tests importing the rooms' faces alone. The import graph is read from the sources'
 * import and require lines (relative paths only: enough for our own files, no tool needed).
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../tools/paths";

const SRC = path.join(REPO_ROOT, "container", "src");
/** What code outside container/src may import: the rooms and the shared modules. */
export const FACES = ["config", "errors", "geometry", "image", "log", "server", "detection", "frame", "http", "render", "storage"];

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? sources(full) : entry.name.endsWith(".ts") ? [full] : [];
    });
}

/** The relative modules a file imports or requires (type positions such as `typeof import()` excluded). */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+"(\.[^"]+)"|(?:^|\n)\s*import\s+"(\.[^"]+)"|require\("(\.[^"]+)"\)/g)]
        .map((match) => match[1] ?? match[2] ?? match[3]);
    return specifiers.map((specifier) => {
        const base = path.resolve(path.dirname(file), specifier);
        return fs.existsSync(`${base}.ts`) ? `${base}.ts` : path.join(base, "index.ts");
    });
}

/** A cycle in the graph, if there is one. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (node: string): string[] | undefined => {
        if (state.get(node) === "done") {
            return undefined;
        }
        if (state.get(node) === "open") {
            return [...stack.slice(stack.indexOf(node)), node];
        }
        state.set(node, "open");
        stack.push(node);
        for (const next of graph.get(node) ?? []) {
            const cycle = visit(next);
            if (cycle) {
                return cycle;
            }
        }
        stack.pop();
        state.set(node, "done");
        return undefined;
    };
    for (const node of graph.keys()) {
        const cycle = visit(node);
        if (cycle) {
            return cycle;
        }
    }
    return undefined;
}

const relative = (file: string) => path.relative(SRC, file);
/** A file's room: its first folder under container/src (or the shared module itself). */
const roomOf = (file: string) => relative(file).split(path.sep)[0].replace(/\.ts$/, "");

describe("the detector's architecture (docs/architecture.md)", () => {
    const files = sources(SRC);
    const graph = new Map(files.map((file) => [file, importsOf(file)]));

    it("has no import circle between files", () => {
        const cycle = findCycle(graph);
        assert.strictEqual(cycle, undefined, `circle: ${cycle?.map(relative).join(" → ")}`);
    });

    it("has no import circle between rooms", () => {
        const rooms = new Map<string, string[]>();
        for (const [file, imports] of graph) {
            const from = roomOf(file);
            rooms.set(from, [...new Set([...(rooms.get(from) ?? []), ...imports.map(roomOf).filter((to) => to !== from)])]);
        }
        const cycle = findCycle(rooms);
        assert.strictEqual(cycle, undefined, `circle: ${cycle?.join(" → ")}`);
    });

    it("enters another room through its index only; detection/ssd and detection/onnx only from detection", () => {
        const wrong: string[] = [];
        for (const [file, imports] of graph) {
            for (const target of imports) {
                const [from, to] = [relative(file), relative(target)];
                const toParts = to.split(path.sep);
                if (toParts.length > 1 && roomOf(file) !== roomOf(target) && toParts.at(-1) !== "index.ts") {
                    wrong.push(`${from} → ${to}`);
                }
                const inner = toParts.length > 2 ? toParts.slice(0, 2).join("/") : undefined;
                if (inner !== undefined && !from.startsWith(`${inner}${path.sep}`) && !(from.startsWith(`detection${path.sep}`) && toParts.at(-1) === "index.ts")) {
                    wrong.push(`${from} → ${to}`);
                }
            }
        }
        assert.deepStrictEqual(wrong, []);
    });

    it("is reached from tools, tests and the other workspaces through the faces alone", () => {
        const outside = [...sources(path.join(REPO_ROOT, "tools")), ...sources(path.join(REPO_ROOT, "tests"))];
        const wrong = outside.flatMap((file) => [...fs.readFileSync(file, "utf8").matchAll(/container\/src\/([A-Za-z/]+)"/g)]
            .map((match) => match[1]).filter((face) => !FACES.includes(face)).map((face) => `${path.relative(REPO_ROOT, file)}: container/src/${face}`));
        assert.deepStrictEqual(wrong, []);
    });

    it("loads no runtime with the configuration or the detection room: a worker loads the one its engine needs, on demand", () => {
        const loaded = execFileSync(process.execPath, ["-e", `
            require(${JSON.stringify(path.join(REPO_ROOT, "container", "bin", "config.js"))});
            require(${JSON.stringify(path.join(REPO_ROOT, "container", "bin", "detection", "index.js"))});
            console.log(JSON.stringify(Object.keys(require.cache).filter((k) => /onnxruntime|@tensorflow/.test(k)).length));
        `], { encoding: "utf8" });
        assert.strictEqual(loaded.trim(), "0");
    });
});
