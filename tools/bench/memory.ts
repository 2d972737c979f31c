import * as fs from "fs";

export interface ProcessMemory {
    readonly pid: number;
    /** Resident now, MB. */
    readonly rssMb: number;
    /** Highest resident so far, MB. */
    readonly peakRssMb: number;
}

function statusField(pid: number, field: string): number {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

/** The processes that serve requests: the cluster workers of `pid`, or `pid` itself when it has none. Linux only. */
export function servingProcesses(pid: number): number[] {
    const children = fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).map(Number).filter((candidate) => {
        try {
            const stat = fs.readFileSync(`/proc/${candidate}/stat`, "utf8");
            return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
        } catch {
            return false;
        }
    });
    return children.length > 0 ? children : [pid];
}

export function memoryOf(pids: readonly number[]): ProcessMemory[] {
    return pids.map((pid) => ({ pid, rssMb: statusField(pid, "VmRSS"), peakRssMb: statusField(pid, "VmHWM") }));
}
