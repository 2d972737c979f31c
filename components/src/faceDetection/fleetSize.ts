import * as crypto from "crypto";

/** Tag on an endpoint configuration: a digest of everything in it but the instance count. */
export const FLEET_TAG = "face-detection:fleet";

/** What the deployed endpoint runs, read before an update (see `EndpointUpdateApi.liveFleet`). */
export interface LiveFleet {
    /** The `FLEET_TAG` of the configuration the endpoint serves, when it has one. */
    readonly fingerprint?: string;
    /** That configuration's `InitialInstanceCount`. */
    readonly initialInstanceCount?: number;
    /** The instances the variant runs now, as autoscaling left it. */
    readonly currentInstanceCount?: number;
}

export interface FleetBounds {
    readonly initialInstanceCount: number;
    readonly minInstanceCount: number;
    readonly maxInstanceCount: number;
}

/** A digest of an endpoint configuration's settings, the instance count left out; stable across key order. */
export function fleetFingerprint(settings: unknown): string {
    const canonical = (value: unknown): unknown => {
        if (Array.isArray(value)) {
            return value.map(canonical);
        }
        if (value !== null && typeof value === "object") {
            return Object.fromEntries(Object.keys(value).sort()
                .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
                .map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
        }
        return value;
    };
    return crypto.createHash("sha256").update(JSON.stringify(canonical(settings))).digest("hex").slice(0, 32);
}

/**
 * The instance count to write into the endpoint configuration of an autoscaled variant.
 *
 * The provider updates an endpoint without `RetainAllVariantProperties`, so a new configuration's
 * fleet starts at its `InitialInstanceCount`, whatever autoscaling had reached: a deploy under load
 * would shrink the fleet. So a new configuration (its settings differ from the live one's) starts
 * at the live fleet's size, within the scaling bounds; an unchanged one keeps the live
 * configuration's count, so that autoscaling's moves alone never roll a new fleet. Without a
 * deployed endpoint, the first fleet has `initialInstanceCount`.
 */
export function fleetSize(live: LiveFleet | undefined, fingerprint: string, bounds: FleetBounds): number {
    if (live === undefined) {
        return bounds.initialInstanceCount;
    }
    if (live.fingerprint === fingerprint && live.initialInstanceCount !== undefined) {
        return live.initialInstanceCount;
    }
    const running = live.currentInstanceCount ?? bounds.initialInstanceCount;
    return Math.min(bounds.maxInstanceCount, Math.max(bounds.minInstanceCount, running));
}
