/**
 * How long the components' log groups keep their logs. CloudWatch Logs takes only these numbers of
 * days (PutRetentionPolicy API reference, `retentionInDays`); anything else fails the deployment,
 * so it is checked before.
 */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Thirty days, unless a stack asks for more (prod keeps a year). */
export const DEFAULT_LOG_RETENTION_DAYS = 30;

/** Throws unless `days` (when given) is one CloudWatch Logs takes. */
export function checkLogRetention(argName: string, days: number | undefined): void {
    if (days !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
        throw new Error(`\`${argName}\` must be one of CloudWatch Logs' retention periods (${LOG_RETENTION_DAYS.join(", ")} days), got ${days}.`);
    }
}
