/**
 * A policy document built from values some of which are known only after deployment (ARNs of
 * resources not yet created), kept as a structure rather than one JSON string. Serialised as one
 * string, the whole document is unknown during a first `pulumi preview`, and the policy pack can
 * check nothing in it: a pull request adding `s3:*` would pass. As a structure, only the leaves
 * that hold such values are unknown; actions, effects, principals and conditions stay visible.
 * The provider turns the structure into JSON itself.
 */
import * as pulumi from "@pulumi/pulumi";

/** Marks where a value goes in the document built from placeholders. */
const MARK = "\u241f";
const placeholder = (key: string) => `${MARK}${key}${MARK}`;

/**
 * Builds the document with `build` from placeholders, then gives each string leaf that holds
 * placeholders the values they stand for, as an Output; every other leaf stays as built.
 *
 * A value that may be absent (`optional`) decides the document's shape (a statement is there or
 * not), so where it is an Output whose presence is not known yet, the document is built once it
 * resolves: its structure is then unknown until that value is (so pass presence as a plain value
 * where it is known, as `CrowdEmotions.forDetector` does). Any other value that resolves to
 * `undefined` is an error, never the text "undefined" in an ARN, which IAM would refuse.
 */
export function documentWithInputs<S extends { [K in keyof S]: string | undefined }, D>(
    build: (scope: S) => D,
    scope: { [K in keyof S]: pulumi.Input<S[K]> },
    optional: readonly (keyof S)[] = [],
): pulumi.Input<D> {
    const pending = optional.find((key) => scope[key] !== undefined && typeof scope[key] !== "string");
    if (pending !== undefined) {
        const rest = optional.filter((key) => key !== pending);
        return pulumi.output(scope[pending]).apply((value) =>
            pulumi.output(documentWithInputs(build, { ...scope, [pending]: value }, rest) as pulumi.Input<D>)) as pulumi.Output<D>;
    }
    // Plain strings go in as they are; only the others (Outputs, promises) need placeholders.
    const placeholders = Object.fromEntries(Object.entries(scope).map(([key, value]) =>
        [key, value === undefined || typeof value === "string" ? value : placeholder(key)])) as S;
    const fill = (text: string): pulumi.Input<string> => {
        const keys = [...text.matchAll(new RegExp(`${MARK}([^${MARK}]+)${MARK}`, "g"))].map((match) => match[1]);
        if (keys.length === 0) {
            return text;
        }
        return pulumi.all(keys.map((key) => scope[key as keyof S] as pulumi.Input<string>)).apply((values) =>
            keys.reduce((filled, key, i) => {
                if (typeof values[i] !== "string") {
                    throw new Error(`A policy document's \`${key}\` resolved to ${String(values[i])}: give an absent value as undefined, not as an Output of undefined.`);
                }
                return filled.replace(placeholder(key), values[i]);
            }, text));
    };
    const walk = (node: unknown): unknown => {
        if (typeof node === "string") {
            return fill(node);
        }
        if (Array.isArray(node)) {
            return node.map(walk);
        }
        if (node !== null && typeof node === "object") {
            return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value)]));
        }
        return node;
    };
    return walk(build(placeholders)) as D;
}
