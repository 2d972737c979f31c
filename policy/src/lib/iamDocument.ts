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

const list = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

/**
 * The statements of a policy document given as a JSON string or an object; `undefined` when the
 * text is not a policy document at all.
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
    const raw = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
    return raw.map((s: any) => ({
        sid: s.Sid,
        effect: String(s.Effect ?? ""),
        actions: list(s.Action),
        notActions: list(s.NotAction),
        resources: list(s.Resource),
        principals: s.Principal,
        condition: s.Condition && Object.keys(s.Condition).length > 0 ? s.Condition : undefined,
    }));
}

export const describeStatement = (statement: Statement, index: number) =>
    statement.sid ? `statement "${statement.sid}"` : `statement ${index + 1}`;
