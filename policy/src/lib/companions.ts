import { PolicyResource } from "@pulumi/policy";
import { read } from "./known";
import { TYPES } from "./types";

/** The S3 buckets of a stack, current and deprecated resource types alike. */
export function bucketsOf(resources: readonly PolicyResource[]): PolicyResource[] {
    return resources.filter((r) => (TYPES.buckets as readonly string[]).includes(r.type));
}

/**
 * The resources of `types` that configure `bucket` through their `bucket` property: found by the
 * engine's property dependencies (which hold even when the bucket's name is unknown during a
 * preview), or by the bucket's name when both are known.
 */
export function companionsOf(bucket: PolicyResource, resources: readonly PolicyResource[], types: readonly string[]): PolicyResource[] {
    const name = read(() => bucket.props.bucket as string | undefined);
    const id = read(() => bucket.props.id as string | undefined);
    return resources.filter((candidate) => {
        if (!types.includes(candidate.type)) {
            return false;
        }
        if ((candidate.propertyDependencies?.bucket ?? []).some((dep) => dep.urn === bucket.urn)) {
            return true;
        }
        const target = read(() => candidate.props.bucket as string | undefined);
        return target.known && target.value !== undefined
            && ((name.known && target.value === name.value) || (id.known && target.value === id.value));
    });
}
