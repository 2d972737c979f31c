import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../../tools/paths";
import { readStackConfig, runProgram, StackRun } from "../../tools/stack";
import { Change, planUpdate, PlannedStep } from "./updatePlan";

const T = {
    image: "docker-build:index:Image",
    model: "aws:sagemaker/model:Model",
    config: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
    endpoint: "aws:sagemaker/endpoint:Endpoint",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    target: "aws:appautoscaling/target:Target",
    policy: "aws:appautoscaling/policy:Policy",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    topic: "aws:sns/topic:Topic",
};

/** The stack file's configuration with `changes` applied (`undefined` removes a key). */
function configOf(stack: string, changes: Record<string, string | undefined> = {}): Record<string, string> {
    const config = readStackConfig(stack);
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) {
            delete config[`face-detection:${key}`];
        } else {
            config[`face-detection:${key}`] = value;
        }
    }
    return config;
}

/** A source file the image's build context lets through, present only while `run` runs. */
async function withSourceEdit<T>(run: () => Promise<T>): Promise<T> {
    const file = path.join(REPO_ROOT, "container", "src", "update-plan-edit.txt");
    fs.writeFileSync(file, "an edit of the detector's sources\n");
    try {
        return await run();
    } finally {
        fs.rmSync(file, { force: true });
    }
}

/** Runs the program from another directory, as another checkout's `pulumi up` would. */
async function fromAnotherDirectory<T>(run: () => Promise<T>): Promise<T> {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "another-checkout-"));
    const cwd = process.cwd();
    process.chdir(elsewhere);
    try {
        return await run();
    } finally {
        process.chdir(cwd);
        fs.rmSync(elsewhere, { recursive: true, force: true });
    }
}

interface Scenario {
    readonly title: string;
    readonly stack: string;
    /** The deployed stack, where it is not the stack file as it is. */
    readonly before?: () => Promise<StackRun>;
    readonly after: () => Promise<StackRun>;
    /** The change each named resource must see; every other resource must stay the same. */
    readonly expected: Record<string, Change>;
    readonly check?: (steps: PlannedStep[]) => void;
}

const step = (steps: PlannedStep[], type: string, name?: string) => {
    const found = steps.filter((s) => s.type === type && (name === undefined || s.name === name));
    assert.strictEqual(found.length, 1, `one ${type} ${name ?? ""}`);
    return found[0];
};

const ENDPOINT_ROLLS = {
    "face-detection-prod-model": "replaced (create before delete)",
    "face-detection-prod-config": "replaced (create before delete)",
    "face-detection-prod-endpoint": "updated",
} as const;

const scenarios: Scenario[] = [
    {
        title: "a source edit builds and pushes a new image and rolls a new fleet",
        stack: "prod",
        after: () => withSourceEdit(() => runProgram("prod", configOf("prod"))),
        expected: { "face-detection-prod-image": "updated", ...ENDPOINT_ROLLS },
    },
    {
        title: "the same sources from another directory change nothing: nothing rebuilds or pushes",
        stack: "prod",
        after: () => fromAnotherDirectory(() => runProgram("prod", configOf("prod"))),
        expected: {},
    },
    {
        title: "a threshold change updates the alarm alone",
        stack: "prod",
        after: () => runProgram("prod", configOf("prod", { latencyAlarmThresholdMs: "2500" })),
        expected: { "face-detection-prod-model-latency": "updated" },
    },
    {
        title: "alarms off turns their actions off; the endpoint and its rollback alarms stay",
        stack: "prod",
        after: () => runProgram("prod", configOf("prod", { alarms: "false", createAlarmTopic: undefined, alarmEmails: undefined })),
        expected: {
            "face-detection-prod-5xx-errors": "updated",
            "face-detection-prod-model-latency": "updated",
            "face-detection-prod-alarms": "deleted",
            "face-detection-prod-alarms-key": "deleted",
            // The emotion stage's alarms notified the same topic.
            "face-detection-prod-emotions-errors": "updated",
            "face-detection-prod-emotions-dead-letters": "updated",
            "face-detection-prod-emotions-backlog": "updated",
            "face-detection-prod-emotions-throttles": "updated",
            "face-detection-prod-emotions-undelivered-events": "updated",
            "face-detection-prod-emotions-rekognition-throttled": "updated",
            "face-detection-prod-emotions-refused": "updated",
        },
    },
    {
        title: "an alarm topic and an e-mail subscription added to dev change the alarms in place",
        stack: "dev",
        after: () => runProgram("dev", configOf("dev", { createAlarmTopic: "true", alarmEmails: JSON.stringify(["oncall@example.com"]) })),
        expected: {
            "face-detection-dev-alarms": "created",
            "face-detection-dev-alarms-key": "created",
            "face-detection-dev-alarms-email-d876c66bad34": "created",
            "face-detection-dev-5xx-errors": "updated",
            "face-detection-dev-model-latency": "updated",
        },
    },
    {
        title: "an instance-type change with autoscaling: deregistered by the endpoint's hook, the target and policy replaced after the update",
        stack: "prod",
        after: () => runProgram("prod", configOf("prod", { instanceType: "ml.c5.2xlarge" })),
        expected: {
            "face-detection-prod-config": "replaced (create before delete)",
            "face-detection-prod-endpoint": "updated",
            "face-detection-prod-scaling-target": "replaced (delete before create)",
            "face-detection-prod-scaling-policy": "replaced (delete before create)",
        },
        check: (steps) => {
            const endpoint = step(steps, T.endpoint);
            assert.deepStrictEqual(Object.keys(endpoint.hooks), ["beforeUpdate"]);
            // The target is replaced after the endpoint's update: it waits for the endpoint.
            assert.ok(step(steps, T.target).dependsOn.includes(endpoint.urn));
            assert.ok(step(steps, T.policy).dependsOn.includes(step(steps, T.target).urn));
        },
    },
    {
        title: "a new maximum instance count updates the scalable target alone",
        stack: "prod",
        after: () => runProgram("prod", configOf("prod", { maxInstanceCount: "12" })),
        expected: { "face-detection-prod-scaling-target": "updated" },
    },
    {
        title: "a serverless memory change rolls the endpoint to a new configuration",
        stack: "dev",
        after: () => runProgram("dev", configOf("dev", { serverlessMemorySizeMb: "4096" })),
        expected: { "face-detection-dev-config": "replaced (create before delete)", "face-detection-dev-endpoint": "updated" },
    },
    {
        title: "dev moved from serverless to instances updates the endpoint, with a bake",
        stack: "dev",
        after: () => runProgram("dev", configOf("dev", {
            serverless: undefined, serverlessMemorySizeMb: undefined, serverlessMaxConcurrency: undefined, instanceType: "ml.c5.large",
        })),
        expected: { "face-detection-dev-config": "replaced (create before delete)", "face-detection-dev-endpoint": "updated" },
        check: (steps) => assert.deepStrictEqual(step(steps, T.endpoint).properties, ["deploymentConfig", "endpointConfigName"]),
    },
    {
        title: "vpc turned on for a deployed stack: a new model in the VPC, rolled out blue/green; the endpoint updated, never replaced",
        stack: "prod",
        before: () => runProgram("prod", configOf("prod", { vpc: undefined })),
        after: () => runProgram("prod", configOf("prod", { vpc: "create" })),
        expected: {
            // The detector's VPC: gateway endpoints only.
            "face-detection-prod-vpc": "created",
            "face-detection-prod-s3-endpoint": "created",
            "face-detection-prod-dynamodb-endpoint": "created",
            "face-detection-prod-workload": "created",
            // The model's VpcConfig can't change in place: a new model and configuration, to which
            // the endpoint is updated blue/green (with its rollback alarms).
            ...ENDPOINT_ROLLS,
            "face-detection-prod-role-policy": "updated",
            // The stage's VPC, with the Rekognition interface endpoint; its function is updated in place.
            "face-detection-prod-emotions-vpc": "created",
            "face-detection-prod-emotions-s3-endpoint": "created",
            "face-detection-prod-emotions-dynamodb-endpoint": "created",
            "face-detection-prod-emotions-workload": "created",
            "face-detection-prod-emotions-endpoints": "created",
            "face-detection-prod-emotions-rekognition-endpoint": "created",
            "face-detection-prod-emotions-function": "updated",
            "face-detection-prod-emotions-role-policy": "updated",
        },
        check: (steps) => {
            assert.deepStrictEqual(step(steps, T.endpoint).properties, ["endpointConfigName"]);
            assert.ok(step(steps, "aws:lambda/function:Function").properties.includes("vpcConfig"));
        },
    },
    {
        title: "a crop retention change updates the bucket's lifecycle alone",
        stack: "prod",
        after: () => runProgram("prod", configOf("prod", { cropRetentionDays: "30" })),
        expected: { "face-detection-prod-crops-lifecycle": "updated" },
    },
];

/** The program's own copy of the component (the package the stacks import) and its update API seam. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { useEndpointUpdateApi } = require("@crowd-emotions/face-detection/bin/faceDetection/endpointUpdateApi") as typeof import("../../components/src/faceDetection/endpointUpdateApi");

describe("updates of a deployed stack", function () {
    this.timeout(120_000);
    // A deployed endpoint whose fleet sits at its initial size: the update hooks are bound as in a
    // real update, and fleet sizes stay put, so that each scenario shows its own change alone.
    // Dev's endpoint is serverless, prod's on instances.
    before(() => useEndpointUpdateApi(() => ({
        callerAccount: async () => "123456789012",
        currentInstanceType: async (endpointName) => ({ exists: true, instanceType: endpointName.endsWith("-dev") ? undefined : "ml.c5.xlarge" }),
        isScalableTarget: async () => true,
        deregisterScalableTarget: async () => undefined,
        registerAutoscaling: async () => undefined,
        liveFleet: async () => undefined,
    })));
    after(() => useEndpointUpdateApi(undefined));
    const baselines = new Map<string, StackRun>();
    const baseline = async (stack: string) => {
        if (!baselines.has(stack)) {
            baselines.set(stack, await runProgram(stack, configOf(stack)));
        }
        return baselines.get(stack)!;
    };

    for (const scenario of scenarios) {
        it(scenario.title, async () => {
            const before = await (scenario.before?.() ?? baseline(scenario.stack));
            const steps = planUpdate(before, await scenario.after());
            const changed = Object.fromEntries(steps.filter((s) => s.change !== "same").map((s) => [s.name, s.change]));
            assert.deepStrictEqual(changed, scenario.expected);
            // Whatever changes, the live endpoint is never replaced, and no endpoint configuration
            // it may still serve (after a rollback) is deleted.
            assert.ok(!step(steps, T.endpoint).change.startsWith("replaced"));
            for (const config of steps.filter((s) => s.type === T.config && (s.change.startsWith("replaced") || s.change === "deleted"))) {
                assert.ok(config.retained, `${config.name} is kept when replaced`);
            }
            scenario.check?.(steps);
        });
    }

    it("would have caught the old deployment configuration: rollback alarms toggled replace the endpoint, deleting it first", () => {
        const endpoint = (deploymentConfig: object) => ({
            type: T.endpoint, name: "e", urn: "urn:e", inputs: { name: "face-detection-prod", deploymentConfig },
            propertyDependencies: {}, dependencies: [],
        });
        const run = (deploymentConfig: object): StackRun => ({ stack: "prod", config: {}, outputs: {}, resources: [endpoint(deploymentConfig)] });
        const [plan] = planUpdate(
            run({ autoRollbackConfiguration: { alarms: [{ alarmName: "a" }] } }),
            run({ autoRollbackConfiguration: undefined }),
        );
        assert.strictEqual(plan.change, "replaced (delete before create)");
    });
});
