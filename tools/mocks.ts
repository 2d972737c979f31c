/**
 * The one Pulumi mocks module of the tests: it records every resource the program registers and
 * answers the provider calls the component makes, the way the engine would. Import the code under
 * test after `useMocks()`.
 */
import * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    /** Explicit provider reference (`<urn>::<id>`), when the resource has one. */
    readonly provider?: string;
    readonly urn: string;
    readonly parent?: string;
    /** URNs of the resources each input property depends on, as the engine sees them. */
    readonly propertyDependencies: Record<string, string[]>;
    readonly dependencies: string[];
    /** The resource options the engine acts on in an update, as the registration carried them. */
    readonly options?: RecordedOptions;
}

export interface RecordedOptions {
    readonly deleteBeforeReplace: boolean;
    readonly retainOnDelete: boolean;
    /** The replacement trigger's value, when there is one. */
    readonly replacementTrigger?: unknown;
    readonly replaceOnChanges: string[];
    readonly ignoreChanges: string[];
    /** Names of the hooks bound to each step, e.g. `beforeUpdate: ["…"]`. */
    readonly hooks: Record<string, string[]>;
}

/** What the engine learns from a registration beyond the mocks' view: URN and dependencies. */
type Registration = Pick<RecordedResource, "urn" | "parent" | "propertyDependencies" | "dependencies" | "options">;
const registrations = new Map<string, Registration>();
const registrationKey = (type: string, name: string) => `${type}\u0000${name}`;

export const ACCOUNT_ID = "123456789012";

const recorded: RecordedResource[] = [];

/** State the engine would add to a created resource's inputs. */
function computedState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
    const region = (args.inputs.region as string | undefined) ?? regionFromConfig();
    const physical = `${args.name}-${"a1b2c3d"}`;
    switch (args.type) {
        case "aws:s3/bucket:Bucket":
            return { bucket: args.inputs.bucket ?? physical, arn: `arn:aws:s3:::${args.inputs.bucket ?? physical}` };
        case "aws:iam/role:Role":
            return { name: physical, arn: `arn:aws:iam::${ACCOUNT_ID}:role/${physical}` };
        case "aws:ecr/repository:Repository":
            return {
                name: physical,
                arn: `arn:aws:ecr:${region}:${ACCOUNT_ID}:repository/${physical}`,
                repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${physical}`,
            };
        case "docker-build:index:Image":
            return { digest: `sha256:${"0".repeat(63)}1`, contextHash: "context-hash" };
        case "aws:kms/key:Key":
            return { arn: `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${physical}`, keyId: physical };
        case "aws:sns/topic:Topic":
            return { name: physical, arn: `arn:aws:sns:${region}:${ACCOUNT_ID}:${physical}` };
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            return { name: args.inputs.name ?? physical, arn: `arn:aws:cloudwatch:${region}:${ACCOUNT_ID}:alarm:${physical}` };
        case "aws:dynamodb/table:Table":
            return { name: physical, arn: `arn:aws:dynamodb:${region}:${ACCOUNT_ID}:table/${physical}` };
        case "aws:lambda/function:Function":
            return { name: physical, arn: `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${physical}` };
        case "aws:sqs/queue:Queue":
            return { name: physical, arn: `arn:aws:sqs:${region}:${ACCOUNT_ID}:${physical}`, url: `https://sqs.${region}.amazonaws.com/${ACCOUNT_ID}/${physical}` };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { arn: `arn:aws:logs:${region}:${ACCOUNT_ID}:log-group:${args.inputs.name ?? physical}` };
        case "aws:cloudwatch/eventRule:EventRule":
            return { name: physical, arn: `arn:aws:events:${region}:${ACCOUNT_ID}:rule/${physical}` };
        case "aws:sagemaker/model:Model":
        case "aws:sagemaker/endpointConfiguration:EndpointConfiguration":
        case "aws:sagemaker/endpoint:Endpoint": {
            const name = args.inputs.name ?? physical;
            const kind = args.type.split(":")[2].replace("EndpointConfiguration", "endpoint-config").toLowerCase();
            return { name, arn: `arn:aws:sagemaker:${region}:${ACCOUNT_ID}:${kind}/${name.toLowerCase()}` };
        }
        // awsx's VPC, a component the awsx plugin builds: its outputs as the plugin returns them
        // (the route tables as plain state here, as resource references there).
        case "awsx:ec2:Vpc":
            return {
                vpcId: `vpc-${args.name}`,
                isolatedSubnetIds: [`subnet-${args.name}-a`, `subnet-${args.name}-b`],
                privateSubnetIds: [], publicSubnetIds: [],
                routeTables: [{ id: `rtb-${args.name}-a` }, { id: `rtb-${args.name}-b` }],
            };
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
            return { arn: `arn:aws:ec2:${region}:${ACCOUNT_ID}:vpc-endpoint/vpce-${args.name}`, prefixListId: args.inputs.vpcEndpointType === "Gateway" ? `pl-${args.name}` : undefined };
        case "aws:ec2/securityGroup:SecurityGroup":
            return { arn: `arn:aws:ec2:${region}:${ACCOUNT_ID}:security-group/sg-${args.name}` };
        default:
            return {};
    }
}

function regionFromConfig(): string {
    return pulumi.runtime.getConfig("aws:region") ?? "us-east-1";
}

const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
        const registration = registrations.get(registrationKey(args.type, args.name))!;
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider || undefined, ...registration });
        return { id: `${args.name}-id`, state: { ...args.inputs, ...computedState(args) } };
    },
    call(args) {
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/test`, userId: "AIDTEST", id: ACCOUNT_ID };
            case "aws:index/getRegion:getRegion": {
                const region = regionFromConfig();
                return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
            }
            case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
                return {
                    userName: "AWS", password: "ecr-token", authorizationToken: "QVdTOmVjci10b2tlbg==",
                    proxyEndpoint: `https://${ACCOUNT_ID}.dkr.ecr.${regionFromConfig()}.amazonaws.com`,
                    expiresAt: "2030-01-01T00:00:00Z", id: regionFromConfig(),
                };
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws", reverseDnsPrefix: "com.amazonaws" };
            default:
                throw new Error(`unexpected call ${args.token}`);
        }
    },
};

/** Installs the mocks for a stack; call before importing the code under test. */
export function useMocks(stack = "test", project = "face-detection"): void {
    pulumi.runtime.setMocks(mocks, project, stack, false);
    // The mocks API hides dependencies; the request the SDK sends the monitor carries them.
    const monitor = pulumi.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: unknown) => {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps: any, property: string) => {
            propertyDependencies[property] = deps.getUrnsList();
        });
        registrations.set(registrationKey(req.getType(), req.getName()), {
            urn: monitor.newUrn(req.getParent(), req.getType(), req.getName()),
            parent: req.getParent() || undefined,
            propertyDependencies,
            dependencies: req.getDependenciesList(),
            options: recordedOptions(req),
        });
        return register(req, callback);
    };
    // The engine keeps hooks to call them in an update; under mocks there is no update to call them in.
    monitor.registerResourceHook = (_req: unknown, callback: (error: null, response: object) => void) => callback(null, {});
}

/** The options of a registration request (`RegisterResourceRequest` of the engine's protocol). */
function recordedOptions(req: any): RecordedOptions {
    const hooks: Record<string, string[]> = {};
    const binding = req.getHooks?.()?.toObject() ?? {};
    for (const [key, names] of Object.entries(binding as Record<string, string[]>)) {
        if (names.length > 0) {
            hooks[key.replace(/List$/, "")] = names;
        }
    }
    return {
        deleteBeforeReplace: req.getDeletebeforereplace(),
        retainOnDelete: req.getRetainondelete?.() ?? false,
        replacementTrigger: req.hasReplacementTrigger?.() ? req.getReplacementTrigger().toJavaScript() : undefined,
        replaceOnChanges: req.getReplaceonchangesList(),
        ignoreChanges: req.getIgnorechangesList(),
        hooks,
    };
}

export function resetRecorded(): void {
    recorded.length = 0;
    registrations.clear();
}

export function allResources(): readonly RecordedResource[] {
    return recorded;
}

export function resourcesOfType(type: string): RecordedResource[] {
    return recorded.filter((resource) => resource.type === type);
}

/** The one resource of `type` named `name`; fails the test when it is missing. */
export function findResource(type: string, name: string): RecordedResource {
    const found = recorded.find((resource) => resource.type === type && resource.name === name);
    if (!found) {
        const names = recorded.map((resource) => `${resource.type} ${resource.name}`).join("\n  ");
        throw new Error(`no ${type} named ${name}; registered:\n  ${names}`);
    }
    return found;
}

/** Resolves an output's value (unknown values resolve as undefined). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** Waits until every registration the program started has reached the mocks. */
export async function settled(): Promise<void> {
    // `waitForRPCs` is the SDK's own drain of outstanding resource registrations.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    await settings.waitForRPCs();
}
