import { Policy } from "@pulumi/policy";
import { Finding, checkPolicies, PolicyPackConfig } from "../../tools/policy";
import { RecordedResource } from "../../tools/mocks";

/** A registered resource as the mocks would record it. */
export function resource(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<RecordedResource> = {}): RecordedResource {
    return {
        type, name, inputs,
        urn: `urn:pulumi:test::face-detection::${type}::${name}`,
        propertyDependencies: {}, dependencies: [],
        ...extra,
    };
}

/** The findings of one policy over `resources` in a stack whose `aws:region` is `region`. */
export function findings(policy: Policy, resources: RecordedResource[], region: string | null = "us-east-1", config: PolicyPackConfig = {}): Promise<Finding[]> {
    return checkPolicies({
        stack: "test",
        config: region === null ? {} : { "aws:region": region },
        resources,
        outputs: {},
    }, [policy as any], config);
}

export const messages = async (pending: Promise<Finding[]>) => (await pending).map((f) => f.message);
