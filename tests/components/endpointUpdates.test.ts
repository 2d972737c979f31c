import * as assert from "assert";
import { fleetFingerprint, fleetSize } from "../../components/src/faceDetection/fleetSize";
import { checkServedConfiguration, deregisterBeforeInstanceTypeChange, EndpointUpdateApi, scalableResourceId } from "../../components/src/faceDetection/endpointUpdates";

/** A stand-in for SageMaker and Application Auto Scaling that records what the hook changes. */
function fakeApi(state: { endpoint?: { instanceType?: string }; registered: boolean }) {
    const calls: string[] = [];
    const api: EndpointUpdateApi = {
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
        async liveFleet() {
            return undefined;
        },
    };
    return { api, calls };
}

describe("endpoint updates", () => {
    describe("before an instance-type change", () => {
        it("deregisters the variant from autoscaling, as SageMaker requires", async () => {
            const { api, calls } = fakeApi({ endpoint: { instanceType: "ml.c5.xlarge" }, registered: true });
            const done = await deregisterBeforeInstanceTypeChange(api, "faces", "ml.c5.2xlarge");
            assert.deepStrictEqual(calls, ["describe endpoint/faces/variant/AllTraffic", "deregister endpoint/faces/variant/AllTraffic"]);
            assert.match(done!, /deregistered endpoint\/faces\/variant\/AllTraffic .* from ml\.c5\.xlarge to ml\.c5\.2xlarge/);
        });

        it("leaves autoscaling alone when the instance type stays", async () => {
            const { api, calls } = fakeApi({ endpoint: { instanceType: "ml.c5.xlarge" }, registered: true });
            assert.strictEqual(await deregisterBeforeInstanceTypeChange(api, "faces", "ml.c5.xlarge"), undefined);
            assert.deepStrictEqual(calls, []);
        });

        it("does nothing for a variant without autoscaling, or an endpoint not there yet", async () => {
            const unscaled = fakeApi({ endpoint: {}, registered: false });
            assert.strictEqual(await deregisterBeforeInstanceTypeChange(unscaled.api, "faces", "ml.c5.xlarge"), undefined);
            assert.deepStrictEqual(unscaled.calls, ["describe endpoint/faces/variant/AllTraffic"]);
            const missing = fakeApi({ registered: true });
            assert.strictEqual(await deregisterBeforeInstanceTypeChange(missing.api, "faces", "ml.c5.xlarge"), undefined);
            assert.deepStrictEqual(missing.calls, []);
        });

        it("names the variant as Application Auto Scaling does", () => {
            assert.strictEqual(scalableResourceId("face-detection-prod"), "endpoint/face-detection-prod/variant/AllTraffic");
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
