import * as pulumi from "@pulumi/pulumi";

export type Tags = { readonly [key: string]: pulumi.Input<string> };

/** The component's default tags with the caller's merged over them. */
export function mergeTags(name: string, userTags: Tags | undefined): Tags {
    return {
        "app": "face-detection",
        "component": name,
        "managed-by": "pulumi",
        ...userTags,
    };
}
