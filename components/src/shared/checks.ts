/** Argument checks both components use; each throws a message that names the arguments. */
import { describeRange, isInRange, NumericSetting } from "face-detection-contract";

/** Throws unless `value` (when given) lies in `range`. */
export function checkRange(argName: string, value: number | undefined, range: NumericSetting): void {
    if (value !== undefined && !isInRange(value, range)) {
        throw new Error(`\`${argName}\` must be ${describeRange(range)}, got ${value}.`);
    }
}

/** Throws when both arguments are set. */
export function checkExclusive(first: string, firstSet: boolean, second: string, secondSet: boolean): void {
    if (firstSet && secondSet) {
        throw new Error(`\`${first}\` and \`${second}\` can't be used together: choose one.`);
    }
}

/** Throws when `dependent` is set but `required` is not. */
export function checkRequires(dependent: string, dependentSet: boolean, required: string, requiredSet: boolean): void {
    if (dependentSet && !requiredSet) {
        throw new Error(`\`${dependent}\` only applies with \`${required}\`; set \`${required}\` or remove \`${dependent}\`.`);
    }
}
