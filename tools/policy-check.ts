/**
 * `npm run policy:check -- --stack <name> [--config policy/enforcement.json] [--project-dir .] [--json]`:
 * runs the real program of a stack under Pulumi mocks and the policy pack over it, without cloud
 * credentials or the Pulumi CLI. The report on stdout; exits 1 on a mandatory violation, 2 on bad usage.
 */
import * as fs from "fs";
import { parseArgs } from "node:util";
import * as path from "path";
import { POLICIES } from "../policy/src/policies";
import { REPO_ROOT } from "./paths";
import { checkPolicies, formatReport, PolicyPackConfig } from "./policy";
import { listStacks, runStack } from "./stack";

const usage = (stacks: readonly string[]) =>
    `Usage: npm run policy:check -- --stack <${stacks.join("|")}> [--config <policy config file>] [--project-dir <dir with Pulumi.yaml>] [--json]`;

export async function main(argv: string[]): Promise<number> {
    let values;
    try {
        ({ values } = parseArgs({
            args: argv, strict: true, allowPositionals: false,
            options: { "stack": { type: "string" }, "config": { type: "string" }, "project-dir": { type: "string" }, "json": { type: "boolean" }, "help": { type: "boolean" } },
        }));
    } catch (error) {
        console.error(`${(error as Error).message.split("\n")[0]}\n\n${usage(listStacks(REPO_ROOT))}`);
        return 2;
    }
    const projectDir = path.resolve(values["project-dir"] ?? REPO_ROOT);
    const stacks = listStacks(projectDir);
    if (values.help) {
        console.log(usage(stacks));
        return 0;
    }
    const stack = values.stack;
    if (!stack || !stacks.includes(stack)) {
        if (stack) {
            console.error(`Pulumi.${stack}.yaml does not exist in ${projectDir}; the stacks are: ${stacks.join(", ")}.`);
        }
        console.error(usage(stacks));
        return 2;
    }
    const configFile = path.resolve(REPO_ROOT, values.config ?? "policy/enforcement.json");
    let config: PolicyPackConfig;
    try {
        config = JSON.parse(fs.readFileSync(configFile, "utf8"));
    } catch (error) {
        console.error(`--config ${values.config ?? configFile}: not a readable policy config (JSON): ${(error as Error).message}\n\n${usage(stacks)}`);
        return 2;
    }
    const findings = await checkPolicies(await runStack(stack, projectDir), POLICIES, config);
    console.log(values.json ? JSON.stringify({ stack, findings }, null, 2) : formatReport(stack, findings));
    return findings.some((f) => f.enforcementLevel === "mandatory") ? 1 : 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
    });
}
