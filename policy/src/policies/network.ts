import { ResourceValidationPolicy } from "@pulumi/policy";
import { read } from "../lib/known";
import { TYPES } from "../lib/types";

/** AWS Config sagemaker-model-in-vpc (SAGEMAKER_MODEL_IN_VPC); Prowler sagemaker_models_vpc_settings_configured. */
export const sagemakerModelInVpc: ResourceValidationPolicy = {
    name: "sagemaker-model-in-vpc",
    description: "SageMaker models should run their containers in a VPC, reaching AWS services through VPC endpoints "
        + "(AWS Config sagemaker-model-in-vpc; Prowler sagemaker_models_vpc_settings_configured).",
    enforcementLevel: "advisory",
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.sagemakerModel) {
            return;
        }
        const vpc = read(() => args.props.vpcConfig as { subnets?: unknown[] } | undefined);
        if (vpc.known && (vpc.value === undefined || (vpc.value.subnets ?? []).length === 0)) {
            reportViolation(`SageMaker model ${args.name} runs outside a VPC: set the component's vpc (stack key face-detection:vpc, e.g. "create").`);
        }
    },
};

const ANYWHERE = ["0.0.0.0/0", "::/0"];

/** The rules of a security group or a standalone ingress rule that let anyone in. */
function openIngress(type: string, props: Record<string, any>): string[] {
    if (type === TYPES.securityGroup) {
        const rules = read(() => (props.ingress ?? []) as { fromPort?: number; toPort?: number; cidrBlocks?: string[]; ipv6CidrBlocks?: string[] }[]);
        if (!rules.known) {
            return [];
        }
        return rules.value
            .filter((rule) => [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])].some((cidr) => ANYWHERE.includes(cidr)))
            .map((rule) => `ports ${rule.fromPort}-${rule.toPort}`);
    }
    if (type === TYPES.securityGroupRule) {
        const rule = read(() => ({ type: props.type as string, cidr: [...(props.cidrBlocks ?? []), ...(props.ipv6CidrBlocks ?? [])] as string[], from: props.fromPort, to: props.toPort }));
        return rule.known && rule.value.type === "ingress" && rule.value.cidr.some((cidr) => ANYWHERE.includes(cidr)) ? [`ports ${rule.value.from}-${rule.value.to}`] : [];
    }
    if (type === TYPES.ingressRule) {
        const rule = read(() => ({ cidr: [props.cidrIpv4, props.cidrIpv6] as unknown[], from: props.fromPort, to: props.toPort }));
        return rule.known && rule.value.cidr.some((cidr) => ANYWHERE.includes(cidr as string)) ? [`ports ${rule.value.from ?? "all"}-${rule.value.to ?? "all"}`] : [];
    }
    return [];
}

/** Security Hub EC2.18 and EC2.19; AWS Config vpc-sg-open-only-to-authorized-ports. */
export const securityGroupNotOpen: ResourceValidationPolicy = {
    name: "security-group-no-open-ingress",
    description: "Security groups must not take traffic from anywhere (0.0.0.0/0 or ::/0): nothing of these stacks is reached "
        + "from the internet (Security Hub EC2.18, EC2.19; AWS Config vpc-sg-open-only-to-authorized-ports).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        for (const ports of openIngress(args.type, args.props)) {
            reportViolation(`${args.name} lets anyone in (0.0.0.0/0 or ::/0, ${ports}): allow the security groups or ranges that need it instead.`);
        }
    },
};
