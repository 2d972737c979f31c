import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

interface IgnoreRule {
    readonly pattern: RegExp;
    readonly negated: boolean;
    readonly source: string;
}

/** Turns one `.dockerignore` line into a rule; `**` spans directories, `*` and `?` stay in one. */
export function parseIgnoreLine(line: string): IgnoreRule | undefined {
    let text = line.trim();
    if (text === "" || text.startsWith("#")) {
        return undefined;
    }
    const negated = text.startsWith("!");
    text = path.posix.normalize((negated ? text.slice(1) : text).trim()).replace(/^\/+|\/+$/g, "");
    const regex = text.split("").reduce((out, char, i, chars) => {
        if (char === "*" && chars[i + 1] === "*") {
            return out;
        }
        if (char === "*") {
            return out + (chars[i - 1] === "*" ? ".*" : "[^/]*");
        }
        if (char === "?") {
            return out + "[^/]";
        }
        return out + char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }, "");
    // A pattern matching a directory also covers everything below it.
    return { pattern: new RegExp(`^${regex}(/.*)?$`), negated, source: text };
}

/** Whether Docker leaves `relativePath` out of the build context: the last matching rule decides. */
export function isIgnored(relativePath: string, rules: readonly IgnoreRule[]): boolean {
    let ignored = false;
    for (const rule of rules) {
        if (rule.pattern.test(relativePath)) {
            ignored = !rule.negated;
        }
    }
    return ignored;
}

/** The ignore file Docker uses: `<Dockerfile>.dockerignore` beside the Dockerfile, else the context's. */
export function readIgnoreRules(context: string, dockerfile: string): IgnoreRule[] {
    for (const candidate of [`${dockerfile}.dockerignore`, path.join(context, ".dockerignore")]) {
        if (fs.existsSync(candidate)) {
            return fs.readFileSync(candidate, "utf8").split(/\r?\n/)
                .map(parseIgnoreLine)
                .filter((rule): rule is IgnoreRule => rule !== undefined);
        }
    }
    return [];
}

/** The files of `context` (relative, `/`-separated, sorted) that Docker sends to the builder. */
export function listContextFiles(context: string, rules: readonly IgnoreRule[]): string[] {
    const files: string[] = [];
    const visit = (relativeDir: string) => {
        const entries = fs.readdirSync(path.join(context, relativeDir), { withFileTypes: true });
        for (const entry of entries) {
            const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
            const ignored = isIgnored(relative, rules);
            if (entry.isDirectory()) {
                // Descend into an ignored directory only if a `!` rule may bring something back.
                const mayReinclude = rules.some((rule) => rule.negated && rule.source.startsWith(`${relative}/`));
                if (!ignored || mayReinclude) {
                    visit(relative);
                }
            } else if (entry.isFile() && !ignored) {
                files.push(relative);
            }
        }
    };
    visit("");
    return files.sort();
}

/** Whether a file is executable by its owner: the one mode bit git keeps, so every checkout agrees on it. */
export function isExecutable(file: string): boolean {
    return (fs.statSync(file).mode & 0o100) !== 0;
}

/**
 * A digest of what Docker would build from: every file of the context that the ignore file lets
 * through (its path, whether it is executable, its bytes), and the Dockerfile. It becomes the image
 * tag, so an unchanged context pushes nothing and leaves the endpoint alone, and a changed one gets
 * a new tag in a repository of immutable tags. Other mode bits and times are left out: they differ
 * between checkouts of the same commit (umask), and the build gets a copy without them
 * (`stagedContext.ts`).
 */
export function buildContextHash(context: string, dockerfile: string): string {
    const dockerfilePath = path.resolve(context, dockerfile);
    const rules = readIgnoreRules(context, dockerfilePath);
    const hash = crypto.createHash("sha256");
    hash.update(fs.readFileSync(dockerfilePath));
    for (const file of listContextFiles(context, rules)) {
        const absolute = path.join(context, file);
        hash.update(`\0${file}\0${isExecutable(absolute) ? "x" : "-"}\0`);
        hash.update(fs.readFileSync(absolute));
    }
    return hash.digest("hex");
}
