/** The Policy SDK's handling of values unknown during preview (`@pulumi/policy/proxy` ships no types). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = require("@pulumi/policy/proxy") as {
    UnknownValueError: new (sentinel: unknown, path: string[]) => Error;
    unknownStringValue: unknown;
    unknownCheckingProxy<T extends object>(props: T): T;
};

/** The value the engine sends for a string that is unknown during preview. */
export const UNKNOWN_STRING = sdk.unknownStringValue;

/** Wraps resource inputs as the SDK does: reading an unknown value throws. */
export const unknownCheckingProxy = sdk.unknownCheckingProxy;

/** A property read that may hit a value only known after deployment. */
export type Read<T> = { readonly known: true; readonly value: T } | { readonly known: false };

export function isUnknownValueError(error: unknown): boolean {
    return error instanceof sdk.UnknownValueError;
}

/**
 * Reads `get()`; a value unknown during preview comes back as `{ known: false }` instead of
 * throwing, so that each policy decides what an unknown value means for its rule.
 */
export function read<T>(get: () => T): Read<T> {
    try {
        return { known: true, value: get() };
    } catch (error) {
        if (isUnknownValueError(error)) {
            return { known: false };
        }
        throw error;
    }
}

/**
 * Ends a validation whose verdict needs values known only at deployment. The SDK reports the
 * policy as not yet checkable during preview (an advisory note, visible in the output), and runs
 * it again with the real values during `pulumi up`, where a mandatory violation stops the update.
 */
export function deferToDeployment(path: string): never {
    throw new sdk.UnknownValueError(sdk.unknownStringValue, [path]);
}
