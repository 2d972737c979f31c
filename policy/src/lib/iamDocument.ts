import { read } from "./known";

/** One statement of an IAM policy document, normalised to lists. */
export interface Statement {
    readonly sid?: string;
    readonly effect: string;
    readonly actions: string[];
    readonly notActions: string[];
    readonly resources: string[];
    readonly principals: unknown;
    readonly condition?: Record<string, unknown>;
}

/**
 * The known elements of a string-or-list field. During a first preview a policy document given
 * as a structure holds values unknown until deployment (the ARNs of resources not yet created)
 * at some leaves; reading one throws. Those leaves are left out, so the rest (actions, effects,
 * literal "*" resources, principals, conditions) can still be checked: an unknown ARN is never
 * a wildcard.
 */
function knownList(get: () => unknown): string[] {
    const value = read(get);
    if (!value.known || value.value === undefined) {
        return [];
    }
    if (!Array.isArray(value.value)) {
        return [String(value.value)];
    }
    const items = value.value;
    return Array.from({ length: items.length }, (_, i) => read(() => items[i])).flatMap((item) => (item.known ? [String(item.value)] : []));
}

/** A field's value, or `fallback` where it is unknown until deployment. */
function knownOr<T>(get: () => T, fallback: T): T {
    const value = read(get);
    return value.known ? value.value : fallback;
}

/**
 * The statements of a policy document given as a JSON string or an object; `undefined` when the
 * text is not a policy document at all. An effect unknown during preview counts as Allow: the
 * checks then look at the statement rather than skip it.
 */
export function parseStatements(document: unknown): Statement[] | undefined {
    let parsed: any = document;
    if (typeof document === "string") {
        try {
            parsed = JSON.parse(document);
        } catch {
            return undefined;
        }
    }
    if (parsed === null || typeof parsed !== "object") {
        return undefined;
    }
    const statement = knownOr(() => parsed.Statement, []);
    const raw: any[] = Array.isArray(statement)
        ? Array.from({ length: statement.length }, (_, i) => read(() => statement[i])).flatMap((item) => (item.known ? [item.value] : []))
        : statement ? [statement] : [];
    return raw.map((s: any) => {
        const condition = knownOr(() => s.Condition, undefined);
        return {
            sid: knownOr(() => s.Sid, undefined),
            effect: String(knownOr(() => s.Effect, "Allow") ?? ""),
            actions: knownList(() => s.Action),
            notActions: knownList(() => s.NotAction),
            resources: knownList(() => s.Resource),
            principals: knownOr(() => s.Principal, undefined),
            condition: condition && Object.keys(condition).length > 0 ? condition : undefined,
        };
    });
}

export const describeStatement = (statement: Statement, index: number) =>
    statement.sid ? `statement "${statement.sid}"` : `statement ${index + 1}`;
