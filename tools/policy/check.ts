/**
 * Gives every policy of the pack what the engine would give it for a mocked program run: each
 * resource with its inputs, URN, parent, provider and property dependencies, the default AWS
 * provider built from the stack's `aws:region`, and the enforcement levels of a policy config file.
 */
import {
    EnforcementLevel, Policies, PolicyResource, ResourceValidationPolicy, StackValidationPolicy,
} from "@pulumi/policy";
import { isUnknownValueError, unknownCheckingProxy } from "../../policy/src/lib/known";
import { RecordedResource } from "../mocks";
import { StackRun } from "../stack";

/** `--policy-pack-config` file contents: `all` and per-policy levels or `{ enforcementLevel, ...config }`. */
export type PolicyPackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface Finding {
    readonly policy: string;
    readonly resource: string;
    readonly message: string;
    readonly enforcementLevel: EnforcementLevel;
}

const DEFAULT_PROVIDER = "pulumi:providers:aws";

function levelOf(policy: { name: string; enforcementLevel?: EnforcementLevel }, config: PolicyPackConfig): EnforcementLevel {
    const own = config[policy.name];
    const fromConfig = typeof own === "string" ? own : own?.enforcementLevel;
    const all = typeof config.all === "string" ? config.all : config.all?.enforcementLevel;
    return fromConfig ?? all ?? policy.enforcementLevel ?? "mandatory";
}

function configOf(policy: { name: string; configSchema?: { properties?: Record<string, { default?: unknown }> } }, config: PolicyPackConfig) {
    const defaults = Object.fromEntries(Object.entries(policy.configSchema?.properties ?? {})
        .filter(([, schema]) => schema.default !== undefined)
        .map(([key, schema]) => [key, schema.default]));
    const own = config[policy.name];
    const { enforcementLevel: _level, ...values } = typeof own === "object" ? own : {};
    return { ...defaults, ...values };
}

/** The resources as policies see them, with the default AWS provider the engine would create. */
export function policyResources(run: StackRun): PolicyResource[] {
    const defaultProvider: RecordedResource = {
        type: DEFAULT_PROVIDER, name: "default", urn: `urn:pulumi:${run.stack}::face-detection::${DEFAULT_PROVIDER}::default`,
        inputs: run.config["aws:region"] === undefined ? {} : { region: run.config["aws:region"] },
        propertyDependencies: {}, dependencies: [],
    };
    const recorded = [defaultProvider, ...run.resources];
    const byUrn = new Map<string, PolicyResource>();
    for (const r of recorded) {
        byUrn.set(r.urn, {
            type: r.type, name: r.name, urn: r.urn, props: unknownCheckingProxy(r.inputs),
            opts: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } },
            dependencies: [], propertyDependencies: {},
            isType: () => false, asType: () => undefined,
        } as unknown as PolicyResource);
    }
    for (const r of recorded) {
        const resource = byUrn.get(r.urn)! as any;
        resource.parent = r.parent ? byUrn.get(r.parent) : undefined;
        resource.dependencies = r.dependencies.map((urn) => byUrn.get(urn)).filter(Boolean);
        resource.propertyDependencies = Object.fromEntries(Object.entries(r.propertyDependencies)
            .map(([property, urns]) => [property, urns.map((urn) => byUrn.get(urn)).filter(Boolean)]));
        if (r.type.startsWith("aws:")) {
            const explicit = r.provider?.split("::").slice(0, -1).join("::");
            resource.provider = explicit ? byUrn.get(explicit) : byUrn.get(defaultProvider.urn);
        }
    }
    return [...byUrn.values()];
}

/** Runs every policy over a stack run; unknown values become advisory notes, as the SDK does. */
export async function checkPolicies(run: StackRun, policies: Policies, config: PolicyPackConfig = {}): Promise<Finding[]> {
    const resources = policyResources(run);
    const findings: Finding[] = [];
    for (const policy of policies) {
        const enforcementLevel = levelOf(policy, config);
        if (enforcementLevel === "disabled") {
            continue;
        }
        const getConfig = <T>() => configOf(policy, config) as T;
        const report = (fallback: string) => (message: string, urn?: string) =>
            findings.push({ policy: policy.name, resource: urn ?? fallback, message, enforcementLevel });
        const guard = async (resource: string, validate: () => unknown) => {
            try {
                await validate();
            } catch (error) {
                if (!isUnknownValueError(error)) {
                    throw error;
                }
                findings.push({ policy: policy.name, resource, message: `can't run during preview: ${(error as Error).message}`, enforcementLevel: "advisory" });
            }
        };
        if ("validateStack" in policy) {
            const stackPolicy = policy as StackValidationPolicy;
            await guard(`stack ${run.stack}`, () => stackPolicy.validateStack({ resources, getConfig } as any, report(`stack ${run.stack}`)));
            continue;
        }
        const validations = [(policy as ResourceValidationPolicy).validateResource ?? []].flat();
        for (const resource of resources) {
            for (const validate of validations) {
                await guard(resource.urn, () => validate({
                    ...resource, getConfig, notApplicable: () => undefined as never,
                } as any, report(resource.urn)));
            }
        }
    }
    return findings;
}

/** A readable report: one block per finding, mandatory ones first. */
export function formatReport(stack: string, findings: readonly Finding[]): string {
    if (findings.length === 0) {
        return `Stack ${stack}: every policy passed.`;
    }
    const ordered = [...findings].sort((a, b) => Number(b.enforcementLevel === "mandatory") - Number(a.enforcementLevel === "mandatory"));
    const blocks = ordered.map((f) => `  [${f.enforcementLevel}] ${f.policy}\n    resource: ${f.resource}\n    ${f.message}`);
    const mandatory = findings.filter((f) => f.enforcementLevel === "mandatory").length;
    return `Stack ${stack}: ${mandatory} mandatory, ${findings.length - mandatory} other finding(s)\n${blocks.join("\n")}`;
}
