import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { describeStatement, parseStatements, Statement } from "../lib/iamDocument";
import { deferToDeployment, read } from "../lib/known";
import { TYPES } from "../lib/types";

/** Actions AWS authorises on `Resource: "*"` only; anything else can be scoped. */
export const UNSCOPABLE_ACTIONS = [
    "ecr:GetAuthorizationToken",
    "cloudwatch:PutMetricData",
    "sts:GetCallerIdentity",
    "logs:DescribeLogGroups",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    // Amazon Rekognition's DetectFaces lists no resource types (Service Authorization Reference,
    // "Actions defined by Amazon Rekognition"): it reads only the image sent with the call. The
    // emotion stage's function needs it; no other Rekognition action is let through.
    "rekognition:DetectFaces",
    // In a VPC, SageMaker and Lambda place the workload's network interfaces with its role and
    // document these actions on "*" (SageMaker Developer Guide, "Add Permissions for Endpoint
    // Access for Containers Running in a VPC to Custom IAM Policies"; Lambda's
    // AWSLambdaVPCAccessExecutionRole): the interfaces are the service's, named by no one before.
    "ec2:CreateNetworkInterface",
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface",
    "ec2:DeleteNetworkInterfacePermission",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeVpcs",
    "ec2:DescribeDhcpOptions",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
];

/** The policy documents a resource carries: its inline policies, by property. */
function documentsOf(args: ResourceValidationArgs): { property: string; document: unknown }[] | undefined {
    const property = TYPES.iamPolicyDocuments[args.type];
    if (property) {
        const document = read(() => args.props[property]);
        return document.known ? [{ property, document: document.value }] : undefined;
    }
    if (args.type === TYPES.iamRole) {
        const inline = read(() => (args.props.inlinePolicies ?? []).map((p: any) => p.policy));
        return inline.known ? inline.value.map((document: unknown) => ({ property: "inlinePolicies", document })) : undefined;
    }
    return [];
}

/** Runs `check` on every Allow statement of the resource's documents. */
function eachAllowStatement(
    args: ResourceValidationArgs, reportViolation: (message: string) => void,
    check: (statement: Statement, where: string) => void,
): void {
    const documents = documentsOf(args);
    if (documents === undefined) {
        deferToDeployment("policy");
    }
    for (const { property, document } of documents) {
        if (document === undefined || document === "") {
            continue;
        }
        const statements = parseStatements(document);
        if (statements === undefined) {
            reportViolation(`The ${property} of ${args.name} is not a valid IAM policy document.`);
            continue;
        }
        statements.forEach((statement, i) => {
            if (statement.effect === "Allow") {
                check(statement, `${describeStatement(statement, i)} of ${args.name}`);
            }
        });
    }
}

/** Checkov CKV_AWS_63 and CKV_AWS_62; AWS Config iam-policy-no-statements-with-admin-access and iam-policy-no-statements-with-full-access. */
export const iamNoWildcardActions: ResourceValidationPolicy = {
    name: "iam-no-wildcard-actions",
    description: "IAM policies must not allow \"*\" or service-wide \"<service>:*\" actions, nor NotAction "
        + "(Checkov CKV_AWS_62, CKV_AWS_63; AWS Config iam-policy-no-statements-with-admin-access, iam-policy-no-statements-with-full-access).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        eachAllowStatement(args, reportViolation, (statement, where) => {
            const wildcards = statement.actions.filter((action) => action === "*" || /^[A-Za-z0-9-]+:\*$/.test(action));
            if (wildcards.length > 0) {
                reportViolation(`IAM policies must not allow wildcard actions: ${where} allows ${wildcards.join(", ")}.`);
            }
            if (statement.notActions.length > 0) {
                reportViolation(`IAM policies must not allow NotAction: ${where} allows everything but ${statement.notActions.join(", ")}.`);
            }
        });
    },
};

/** Checkov CKV_AWS_355 and CKV_AWS_290. */
export const iamNoWildcardResources: ResourceValidationPolicy = {
    name: "iam-no-wildcard-resources",
    description: "IAM policies must not allow Resource \"*\" for actions that can be scoped to a resource (Checkov CKV_AWS_290, CKV_AWS_355).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        eachAllowStatement(args, reportViolation, (statement, where) => {
            if (!statement.resources.includes("*")) {
                return;
            }
            const scopable = statement.actions.filter((action) => !UNSCOPABLE_ACTIONS.includes(action));
            if (scopable.length > 0) {
                reportViolation(`IAM policies must scope resources: ${where} allows ${scopable.join(", ")} on "*".`);
            }
        });
    },
};

const FORBIDDEN_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?(AdministratorAccess|PowerUserAccess|IAMFullAccess|[A-Za-z0-9]*FullAccess)$/;

/** Checkov CKV_AWS_274; AWS Config iam-policy-blacklisted-check. */
export const iamNoManagedAdminPolicies: ResourceValidationPolicy = {
    name: "iam-no-managed-admin-policies",
    description: "AWS-managed AdministratorAccess, PowerUserAccess and *FullAccess policies must not be attached "
        + "(Checkov CKV_AWS_274; AWS Config iam-policy-blacklisted-check).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        let arns: unknown[] = [];
        if ((TYPES.policyAttachments as readonly string[]).includes(args.type)) {
            const attached = read(() => [args.props.policyArn, ...(args.props.policyArns ?? [])]);
            if (!attached.known) {
                return; // An unknown ARN is a policy of this stack, not an AWS-managed one.
            }
            arns = attached.value;
        } else if (args.type === TYPES.iamRole) {
            const managed = read(() => args.props.managedPolicyArns ?? []);
            arns = managed.known ? managed.value : [];
        }
        for (const arn of arns.filter((value): value is string => typeof value === "string" && FORBIDDEN_MANAGED.test(value))) {
            reportViolation(`AWS-managed broad policies must not be attached: ${args.name} attaches ${arn}.`);
        }
    },
};

/** Checkov CKV_AWS_60 and CKV_AWS_61. */
export const iamRoleTrustNotPublic: ResourceValidationPolicy = {
    name: "iam-role-trust-not-public",
    description: "IAM roles must not trust every principal (\"*\") to assume them (Checkov CKV_AWS_60, CKV_AWS_61).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.iamRole) {
            return;
        }
        const trust = read(() => args.props.assumeRolePolicy);
        if (!trust.known) {
            deferToDeployment("assumeRolePolicy");
        }
        const statements = parseStatements(trust.value);
        if (statements === undefined) {
            reportViolation(`The assumeRolePolicy of ${args.name} is not a valid IAM policy document.`);
            return;
        }
        const open = (principals: unknown): boolean => principals === "*"
            || [(principals as any)?.AWS].flat().includes("*");
        statements.forEach((statement, i) => {
            if (statement.effect === "Allow" && open(statement.principals) && statement.condition === undefined) {
                reportViolation(`IAM roles must not be assumable by everyone: ${describeStatement(statement, i)} of ${args.name} trusts "*".`);
            }
        });
    },
};
