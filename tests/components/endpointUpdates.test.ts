import * as assert from "assert";
import { checkServedConfiguration, deregisterBeforeInstanceTypeChange, EndpointUpdateApi, scalableResourceId } from "../../components/src/endpointUpdates";

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
});
