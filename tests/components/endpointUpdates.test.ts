import * as assert from "assert";
import { fleetFingerprint, fleetSize } from "../../components/src/faceDetection/fleetSize";
import {
    checkSameAccount, checkServedConfiguration, checkServerlessSwitch, EndpointUpdateApi, prepareAutoscaledUpdate, scalableResourceId,
} from "../../components/src/faceDetection/endpointUpdates";
import { requireAutoscalingCli } from "../../components/src/faceDetection/engineVersion";
import { scalingPolicyName } from "../../components/src/faceDetection/scalingPolicy";

/** A stand-in for SageMaker and Application Auto Scaling that records what the hook changes. */
function fakeApi(state: { endpoint?: { instanceType?: string }; registered: boolean }) {
    const calls: string[] = [];
    const api: EndpointUpdateApi = {
        async callerAccount() {
            return "123456789012";
        },
        async currentInstanceType() {
            return state.endpoint ? { exists: true, instanceType: state.endpoint.instanceType } : { exists: false };
        },
        async isScalableTarget(resourceId) {
            calls.push(`describe ${resourceId}`);
            return state.registered;
        },
        async deregisterScalableTarget(resourceId) {
            calls.push(`deregister ${resourceId}`);
            state.registered = false;
        },
        async registerAutoscaling(resourceId, policyName, scaling) {
            calls.push(`register ${resourceId} ${scaling.minInstanceCount}-${scaling.maxInstanceCount} with ${policyName} at ${scaling.targetInvocationsPerInstance}`);
            state.registered = true;
        },
        async liveFleet() {
            return undefined;
        },
    };
    return { api, calls };
}

const scaling = (instanceType: string) => ({ instanceType, minInstanceCount: 2, maxInstanceCount: 8, targetInvocationsPerInstance: 400 });

describe("endpoint updates", () => {
    describe("before the update of an autoscaled endpoint", () => {
        it("deregisters the variant from autoscaling before an instance-type change, as SageMaker requires", async () => {
            const { api, calls } = fakeApi({ endpoint: { instanceType: "ml.c5.xlarge" }, registered: true });
            const done = await prepareAutoscaledUpdate(api, "faces", scaling("ml.c5.2xlarge"));
            assert.deepStrictEqual(calls, ["describe endpoint/faces/variant/AllTraffic", "deregister endpoint/faces/variant/AllTraffic"]);
            assert.match(done!, /deregistered endpoint\/faces\/variant\/AllTraffic .* from ml\.c5\.xlarge to ml\.c5\.2xlarge/);
        });

        it("leaves autoscaling alone when the instance type stays and the variant is registered", async () => {
            const { api, calls } = fakeApi({ endpoint: { instanceType: "ml.c5.xlarge" }, registered: true });
            assert.strictEqual(await prepareAutoscaledUpdate(api, "faces", scaling("ml.c5.xlarge")), undefined);
            assert.deepStrictEqual(calls, ["describe endpoint/faces/variant/AllTraffic"]);
        });

        it("recovers from a failed update: deregistered, the update failed, the instance type set back: registered again", async () => {
            const state = { endpoint: { instanceType: "ml.c5.xlarge" }, registered: true };
            const { api, calls } = fakeApi(state);
            await prepareAutoscaledUpdate(api, "faces", scaling("ml.c5.2xlarge"));
            // UpdateEndpoint fails: the endpoint stays on ml.c5.xlarge, the variant deregistered,
            // and the component's target and policy, unchanged, would never register it again.
            assert.strictEqual(state.registered, false);
            const done = await prepareAutoscaledUpdate(api, "faces", scaling("ml.c5.xlarge"));
            assert.strictEqual(calls.at(-1), "register endpoint/faces/variant/AllTraffic 2-8 with faces-invocations-per-instance at 400");
            assert.strictEqual(state.registered, true);
            assert.match(done!, /registered endpoint\/faces\/variant\/AllTraffic with autoscaling again \(2–8 instances\)/);
        });

        it("does nothing for an endpoint not there yet, or one moving to instances from serverless", async () => {
            const missing = fakeApi({ registered: false });
            assert.strictEqual(await prepareAutoscaledUpdate(missing.api, "faces", scaling("ml.c5.xlarge")), undefined);
            assert.deepStrictEqual(missing.calls, []);
            const serverless = fakeApi({ endpoint: {}, registered: false });
            assert.strictEqual(await prepareAutoscaledUpdate(serverless.api, "faces", scaling("ml.c5.xlarge")), undefined);
            assert.deepStrictEqual(serverless.calls, ["describe endpoint/faces/variant/AllTraffic"]);
        });

        it("names the variant as Application Auto Scaling does, and the policy as the component does", () => {
            assert.strictEqual(scalableResourceId("face-detection-prod"), "endpoint/face-detection-prod/variant/AllTraffic");
            assert.strictEqual(scalingPolicyName("face-detection-prod"), "face-detection-prod-invocations-per-instance");
        });
    });

    describe("the program's own AWS calls", () => {
        it("must act in the account the stack deploys to", () => {
            assert.doesNotThrow(() => checkSameAccount("123456789012", "123456789012"));
            assert.throws(() => checkSameAccount("111111111111", "123456789012"),
                /^Error: The stack deploys to AWS account 123456789012, but the credentials the component reads the live endpoint with .* are of account 111111111111\./);
        });
    });

    describe("instances to serverless", () => {
        it("is refused with the way to do it, since SageMaker can't update an instance endpoint to serverless", () => {
            assert.throws(() => checkServerlessSwitch("faces", { exists: true, instanceType: "ml.c5.large" }, true),
                /^Error: Endpoint faces runs on ml\.c5\.large instances, and SageMaker can't update an instance endpoint to serverless .* give the endpoint a new `endpointName`/);
        });

        it("passes for a new endpoint, a serverless one, and a move the other way", () => {
            assert.doesNotThrow(() => checkServerlessSwitch("faces", { exists: false }, true));
            assert.doesNotThrow(() => checkServerlessSwitch("faces", { exists: true }, true));
            assert.doesNotThrow(() => checkServerlessSwitch("faces", { exists: true, instanceType: "ml.c5.large" }, false));
        });
    });

    describe("the Pulumi CLI", () => {
        it("must be 3.208 or later for an autoscaled endpoint, and the error says so", async () => {
            const asked: string[] = [];
            await requireAutoscalingCli(async (range) => {
                asked.push(range);
            });
            assert.deepStrictEqual(asked, [">=3.208.0"]);
            await assert.rejects(requireAutoscalingCli(async () => {
                throw new Error("Pulumi CLI version 3.190.0 does not satisfy the version range \">=3.208.0\"");
            }), /^Error: An autoscaled endpoint needs Pulumi CLI 3\.208\.0 or later .*\(Pulumi CLI version 3\.190\.0 does not satisfy/);
        });
    });

    describe("after the update", () => {
        it("passes when the endpoint serves the configuration it was given", () => {
            assert.doesNotThrow(() => checkServedConfiguration("faces", "faces-config-b", "faces-config-b"));
        });

        it("fails loudly, naming both configurations, when an alarm rolled the update back", () => {
            assert.throws(() => checkServedConfiguration("faces", "faces-config-b", "faces-config-a"),
                /^Error: Endpoint faces serves endpoint configuration faces-config-a, not faces-config-b that this update gave it: the blue\/green update was rolled back/);
        });
    });

    describe("the fleet an autoscaled update starts with", () => {
        const bounds = { initialInstanceCount: 2, minInstanceCount: 2, maxInstanceCount: 8 };
        const cases: [string, Parameters<typeof fleetSize>[0], number][] = [
            ["first deploy: the initial count", undefined, 2],
            ["new configuration under load: the fleet autoscaling reached", { fingerprint: "old", initialInstanceCount: 2, currentInstanceCount: 7 }, 7],
            ["new configuration, fleet above the new maximum: the maximum", { fingerprint: "old", initialInstanceCount: 2, currentInstanceCount: 11 }, 8],
            ["new configuration, fleet under the minimum: the minimum", { fingerprint: "old", initialInstanceCount: 2, currentInstanceCount: 1 }, 2],
            ["unchanged configuration: the live configuration's count, so nothing rolls", { fingerprint: "same", initialInstanceCount: 3, currentInstanceCount: 7 }, 3],
            ["a configuration from before the tag: the fleet's size", { initialInstanceCount: 2, currentInstanceCount: 5 }, 5],
        ];
        for (const [title, live, expected] of cases) {
            it(title, () => assert.strictEqual(fleetSize(live, "same", bounds), expected));
        }

        it("fingerprints the configuration's settings whatever their key order, and tells settings apart", () => {
            const a = fleetFingerprint({ variant: { modelName: "m-1", instanceType: "ml.c5.xlarge" }, kmsKeyArn: undefined });
            assert.strictEqual(fleetFingerprint({ variant: { instanceType: "ml.c5.xlarge", modelName: "m-1" } }), a);
            assert.notStrictEqual(fleetFingerprint({ variant: { modelName: "m-2", instanceType: "ml.c5.xlarge" } }), a);
            assert.match(a, /^[0-9a-f]{32}$/);
        });
    });
});
