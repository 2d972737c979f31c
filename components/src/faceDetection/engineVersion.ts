import * as pulumi from "@pulumi/pulumi";

/**
 * The Pulumi CLI an autoscaled endpoint needs: resource hooks came with 3.182 and replacement
 * triggers with 3.208 (Pulumi's changelog; Node.js SDK pull request #20939). A CLI before 3.182
 * fails every preview ("does not support resource hooks"); one from 3.182 to 3.207 drops the
 * replacement trigger without a word, and after an instance-type change autoscaling would stay
 * deregistered while the state says it is on.
 */
export const AUTOSCALING_CLI = "3.208.0";

/** Fails, naming the version, when the CLI running the program is older than `AUTOSCALING_CLI`. */
export async function requireAutoscalingCli(
    require: (range: string) => Promise<void> = pulumi.runtime.requirePulumiVersion,
): Promise<void> {
    try {
        await require(`>=${AUTOSCALING_CLI}`);
    } catch (error) {
        throw new Error(
            `An autoscaled endpoint needs Pulumi CLI ${AUTOSCALING_CLI} or later (resource hooks and replacement triggers ` +
            `carry autoscaling through instance-type changes): upgrade the CLI (https://www.pulumi.com/docs/install/), or turn \`autoscaling\` off. ` +
            `(${(error as Error).message})`,
        );
    }
}
