import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { VARIANT_NAME } from "@crowd-emotions/face-detection-contract";

type Metric = (string | Record<string, unknown>)[];

function endpointMetric(endpointName: string, metricName: string, options: Record<string, unknown> = {}): Metric {
    return ["AWS/SageMaker", metricName, "EndpointName", endpointName, "VariantName", VARIANT_NAME, options];
}

/** The dashboard body: what an operator looks at first when the endpoint misbehaves. */
export function dashboardBody(endpointName: string, region: string): object {
    const widget = (title: string, x: number, y: number, metrics: Metric[], extra: Record<string, unknown> = {}) => ({
        type: "metric", x, y, width: 12, height: 6,
        properties: { title, region, view: "timeSeries", stat: "Sum", period: 60, metrics, ...extra },
    });
    return {
        widgets: [
            widget("Invocations", 0, 0, [endpointMetric(endpointName, "Invocations")]),
            widget("Model latency (µs)", 12, 0, [
                endpointMetric(endpointName, "ModelLatency", { stat: "p50" }),
                endpointMetric(endpointName, "ModelLatency", { stat: "p99" }),
            ]),
            widget("Errors", 0, 6, [
                endpointMetric(endpointName, "Invocation4XXErrors"),
                endpointMetric(endpointName, "Invocation5XXErrors"),
            ]),
            // SageMaker publishes no instance count; invocations over invocations per instance is one.
            widget("Instances", 12, 6, [
                endpointMetric(endpointName, "Invocations", { id: "invocations", visible: false }),
                endpointMetric(endpointName, "InvocationsPerInstance", { id: "perInstance", visible: false }),
                [{ expression: "invocations / perInstance", label: "Instances", id: "instances" }],
            ]),
        ],
    };
}

export function createDashboard(name: string, endpointName: string, region: pulumi.Input<string>, parent: pulumi.Resource): aws.cloudwatch.Dashboard {
    return new aws.cloudwatch.Dashboard(`${name}-dashboard`, {
        dashboardName: `${endpointName}-face-detection`,
        dashboardBody: pulumi.output(region).apply((name) => JSON.stringify(dashboardBody(endpointName, name))),
    }, { parent });
}
