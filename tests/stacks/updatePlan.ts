/**
 * What `pulumi up` would do to each resource when a deployed stack's program or configuration
 * changes: the real program is run twice under mocks (before and after), and each resource is
 * classified by the provider's replace-on-change rules for the properties that differ, as the
 * engine would: same, updated, replaced (create-before-delete or delete-before-replace), created,
 * deleted. A replaced resource's new physical name or ARN changes every input that depends on it
 * (the mocks give both copies one name), so replacements propagate along the dependencies the
 * engine records.
 */
import { isDeepStrictEqual } from "util";
import { RecordedResource } from "../../tools/mocks";
import { StackRun } from "../../tools/stack";

export type Change = "same" | "updated" | "replaced (create before delete)" | "replaced (delete before create)" | "created" | "deleted";

export interface PlannedStep {
    readonly type: string;
    readonly name: string;
    readonly change: Change;
    /** The top-level properties that differ, after propagation. */
    readonly properties: string[];
    /** Whether an old copy that a replacement or removal leaves behind is kept (`retainOnDelete`). */
    readonly retained: boolean;
    readonly hooks: Record<string, string[]>;
    /** URNs this resource waits for: it changes only after they have. */
    readonly dependsOn: string[];
    readonly urn: string;
}

/**
 * Properties whose change makes the provider replace the resource ("ForceNew" in the Terraform
 * provider that @pulumi/aws bridges; "*" for every property but tags). Sources, in
 * hashicorp/terraform-provider-aws: internal/service/sagemaker/endpoint.go (`name`,
 * `deployment_config.auto_rollback_configuration`), endpoint_configuration.go and model.go (every
 * argument but tags), internal/service/cloudwatch/metric_alarm.go (`alarm_name`),
 * internal/service/appautoscaling/target.go and policy.go (the resource id, dimension, namespace,
 * and the policy's name), internal/service/s3 bucket-scoped resources (`bucket`), sns
 * topic_subscription.go (`topic_arn`, `protocol`, `endpoint`). docker-build's Image has no
 * replace-on-change property (pulumi-docker-build provider/internal/image.go: every difference is
 * an update, i.e. a build and push).
 */
const REPLACE_ON: Record<string, string[]> = {
    "aws:sagemaker/endpoint:Endpoint": ["name", "deploymentConfig.autoRollbackConfiguration"],
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": ["*"],
    "aws:sagemaker/model:Model": ["*"],
    "aws:cloudwatch/metricAlarm:MetricAlarm": ["name"],
    "aws:appautoscaling/target:Target": ["resourceId", "scalableDimension", "serviceNamespace"],
    "aws:appautoscaling/policy:Policy": ["name", "resourceId", "scalableDimension", "serviceNamespace"],
    "aws:sns/topicSubscription:TopicSubscription": ["topic", "protocol", "endpoint"],
    "aws:s3/bucket:Bucket": ["bucket"],
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ["bucket"],
    "aws:s3/bucketPolicy:BucketPolicy": ["bucket"],
    "aws:ecr/repository:Repository": ["name"],
    "docker-build:index:Image": [],
};

/**
 * Resources whose update gives them new outputs that others use: a docker-build Image's update is a
 * build and push, with a new digest (builds are not byte-reproducible).
 */
const NEW_OUTPUTS_ON_UPDATE = new Set(["docker-build:index:Image"]);

/** Resources with a fixed physical name: AWS holds one of a name, so a replacement deletes first. */
const fixedName = (resource: RecordedResource) => resource.inputs.name !== undefined;

/** The differing paths of two values, down to where they differ (`a.b`), for the rules above. */
function differences(before: unknown, after: unknown, prefix = ""): string[] {
    if (isDeepStrictEqual(before, after)) {
        return [];
    }
    const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
    if (isObject(before) && isObject(after)) {
        const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
        return [...keys].flatMap((key) => differences(before[key], after[key], prefix ? `${prefix}.${key}` : key));
    }
    return [prefix];
}

function replaces(type: string, paths: string[]): boolean {
    const rules = REPLACE_ON[type] ?? [];
    return paths.some((p) => rules.some((rule) => (rule === "*" ? !p.startsWith("tags") : p === rule || p.startsWith(`${rule}.`))));
}

/** The steps of an update from `before` to `after`, in the order the program registered them. */
export function planUpdate(before: StackRun, after: StackRun): PlannedStep[] {
    const olds = new Map(before.resources.map((r) => [r.urn, r]));
    const replacedUrns = new Set<string>();
    const steps: PlannedStep[] = [];
    for (const resource of after.resources) {
        const old = olds.get(resource.urn);
        const options = resource.options;
        const common = {
            type: resource.type, name: resource.name, urn: resource.urn,
            retained: options?.retainOnDelete ?? false, hooks: options?.hooks ?? {},
            dependsOn: [...new Set([...resource.dependencies, ...Object.values(resource.propertyDependencies).flat()])],
        };
        if (old === undefined) {
            steps.push({ ...common, change: "created", properties: [] });
            continue;
        }
        const paths = differences(old.inputs, resource.inputs);
        // Inputs that hold a replaced resource's name or ARN (or a rebuilt image's digest) change with it.
        for (const [property, urns] of Object.entries(resource.propertyDependencies)) {
            if (urns.some((urn) => replacedUrns.has(urn)) && !paths.some((p) => p === property || p.startsWith(`${property}.`))) {
                paths.push(property);
            }
        }
        const triggered = !isDeepStrictEqual(old.options?.replacementTrigger, options?.replacementTrigger);
        const properties = [...new Set(paths.map((p) => p.split(".")[0]))].sort();
        let change: Change = paths.length > 0 ? "updated" : "same";
        if (triggered || replaces(resource.type, paths)) {
            change = options?.deleteBeforeReplace || fixedName(resource) ? "replaced (delete before create)" : "replaced (create before delete)";
            replacedUrns.add(resource.urn);
        } else if (change === "updated" && NEW_OUTPUTS_ON_UPDATE.has(resource.type)) {
            replacedUrns.add(resource.urn);
        }
        steps.push({ ...common, change, properties: triggered ? [...properties, "(replacement trigger)"] : properties });
    }
    const news = new Set(after.resources.map((r) => r.urn));
    for (const old of before.resources.filter((r) => !news.has(r.urn))) {
        steps.push({
            type: old.type, name: old.name, urn: old.urn, change: "deleted", properties: [],
            retained: old.options?.retainOnDelete ?? false, hooks: old.options?.hooks ?? {}, dependsOn: [],
        });
    }
    return steps;
}
