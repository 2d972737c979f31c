/**
 * Runs the real `stacks/` program in-process under Pulumi mocks, as the engine would run it for a
 * stack: project and stack names set, the stack file's configuration handed over as strings.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { allResources, RecordedResource, resetRecorded, settled, useMocks, valueOf } from "./mocks";

import { REPO_ROOT } from "./paths";

export { REPO_ROOT };

export interface StackRun {
    readonly stack: string;
    readonly config: Record<string, string>;
    readonly resources: readonly RecordedResource[];
    readonly outputs: Record<string, unknown>;
}

interface Project {
    readonly name: string;
    readonly main: string;
}

export function readProject(root = REPO_ROOT): Project {
    const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8"));
    return { name: project.name, main: path.resolve(root, project.main ?? ".") };
}

/** The stacks that have a `Pulumi.<stack>.yaml` beside `Pulumi.yaml`. */
export function listStacks(root = REPO_ROOT): string[] {
    return fs.readdirSync(root)
        .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/**
 * A stack file's configuration as the engine passes it to a program: keys namespaced (a bare key
 * belongs to the project), every value a string, structured values as JSON.
 */
export function readStackConfig(stack: string, root = REPO_ROOT): Record<string, string> {
    const project = readProject(root);
    const file = ["yaml", "yml"].map((ext) => path.join(root, `Pulumi.${stack}.${ext}`)).find(fs.existsSync);
    if (!file) {
        throw new Error(`No Pulumi.${stack}.yaml in ${root}.`);
    }
    const document = parse(fs.readFileSync(file, "utf8")) ?? {};
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries<unknown>(document.config ?? {})) {
        const fullKey = key.includes(":") ? key : `${project.name}:${key}`;
        if (value !== null && typeof value === "object" && "secure" in value) {
            // Ciphertext only the engine can decrypt; the program sees an opaque string.
            config[fullKey] = "[secret]";
        } else {
            config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return config;
}

/** Runs the program with `config`; rejects with the program's own error when it fails. */
export async function runProgram(stack: string, config: Record<string, string>, root = REPO_ROOT): Promise<StackRun> {
    const project = readProject(root);
    pulumi.runtime.setAllConfig(config);
    useMocks(stack, project.name);
    resetRecorded();
    // A fresh copy of the program per run, as each engine run starts a fresh process.
    for (const id of Object.keys(require.cache)) {
        if (id.startsWith(project.main + path.sep)) {
            delete require.cache[id];
        }
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports: Record<string, unknown> = require(project.main);
    await settled();
    const outputs: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(exports)) {
        outputs[name] = pulumi.Output.isInstance(value) ? await valueOf(value) : value;
    }
    return { stack, config, resources: [...allResources()], outputs };
}

/** Runs the program for a stack with its stack file's configuration. */
export function runStack(stack: string, root = REPO_ROOT): Promise<StackRun> {
    return runProgram(stack, readStackConfig(stack, root), root);
}
