import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../shared/tags";

/** A customer-managed key with yearly rotation for the crops bucket. */
export function createCropsKey(name: string, forceDestroy: boolean, tags: Tags, parent: pulumi.Resource): aws.kms.Key {
    return new aws.kms.Key(`${name}-key`, {
        description: `Encrypts the face crops of ${name}`,
        enableKeyRotation: true,
        // A deleted key can't be recovered; only throw-away environments get the shortest wait.
        deletionWindowInDays: forceDestroy ? 7 : 30,
        tags,
    }, { parent });
}
