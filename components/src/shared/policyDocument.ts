/** An IAM policy document, as AWS takes it. */
export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly PolicyStatement[];
}

export interface PolicyStatement {
    readonly Sid: string;
    readonly Effect: "Allow" | "Deny";
    readonly Action: readonly string[];
    readonly Resource: string | readonly string[];
    readonly Condition?: Record<string, Record<string, string>>;
}

/** A role trust policy document. */
export interface TrustPolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly {
        readonly Sid: string;
        readonly Effect: "Allow";
        readonly Action: "sts:AssumeRole";
        readonly Principal: { readonly Service: string };
    }[];
}

/** A trust policy that lets one AWS service, and nothing else, assume the role. */
export function serviceTrustPolicy(sid: string, service: string): TrustPolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Sid: sid, Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: service } }],
    };
}
