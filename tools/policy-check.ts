/**
 * `npm run policy:check -- --stack <name> [--config policy/enforcement.json] [--project-dir .]`: runs the real
 * program of a stack under Pulumi mocks and the policy pack over it, without cloud credentials or
 * the Pulumi CLI. Exits 1 on a mandatory violation, 2 on bad usage.
 */
import * as fs from "fs";
import * as path from "path";
import { POLICIES } from "../policy/src/policies";
import { checkPolicies, formatReport, PolicyPackConfig } from "./policyCheck";
import { listStacks, REPO_ROOT, runStack } from "./stack";

function option(args: string[], name: string): string | undefined {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
}

async function main(args: string[]): Promise<number> {
    const stack = option(args, "--stack");
    const projectDir = path.resolve(option(args, "--project-dir") ?? REPO_ROOT);
    const stacks = listStacks(projectDir);
    if (!stack || !stacks.includes(stack)) {
        if (stack) {
            console.error(`Pulumi.${stack}.yaml does not exist in ${projectDir}; the stacks are: ${stacks.join(", ")}.`);
        }
        console.error(`Usage: npm run policy:check -- --stack <${stacks.join("|")}> [--config <policy config file>] [--project-dir <dir with Pulumi.yaml>]`);
        return 2;
    }
    const configFile = path.resolve(REPO_ROOT, option(args, "--config") ?? "policy/enforcement.json");
    const config: PolicyPackConfig = JSON.parse(fs.readFileSync(configFile, "utf8"));
    const findings = await checkPolicies(await runStack(stack, projectDir), POLICIES, config);
    console.log(formatReport(stack, findings));
    return findings.some((f) => f.enforcementLevel === "mandatory") ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
