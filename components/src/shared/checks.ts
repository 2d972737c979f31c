/** Argument checks both components use; each throws a message that names the arguments. */
import { describeRange, isInRange, NumericSetting } from "@crowd-emotions/face-detection-contract";

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

/**
 * Every problem of a component's arguments, gathered so that one error names them all: a user fixes
 * them in one pass instead of one run each.
 */
export class Problems {
    private readonly found: string[] = [];

    /** Records `message`, once however many checks find it. */
    add(message: string): void {
        if (!this.found.includes(message)) {
            this.found.push(message);
        }
    }

    /** Runs a check that throws, and records what it throws. */
    check(validate: () => void): void {
        try {
            validate();
        } catch (error) {
            this.add((error as Error).message);
        }
    }

    /** Throws one error naming every problem, if there is any. */
    throwIfAny(): void {
        if (this.found.length === 1) {
            throw new Error(this.found[0]);
        }
        if (this.found.length > 1) {
            throw new Error(`${this.found.length} arguments are wrong:\n- ${this.found.join("\n- ")}`);
        }
    }
}
