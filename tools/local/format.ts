import * as path from "path";

export interface InvocationResult {
    readonly frameId?: string;
    readonly faces: { box: { x: number; y: number; width: number; height: number }; score: number; crop: { bucket: string; key: string; width: number; height: number; bytes: number } }[];
    readonly image: { width: number; height: number };
    readonly timings?: { totalMs?: number };
}

/** Rows as aligned columns, two spaces apart: text reads best left-aligned, figures right-aligned. */
export function table(rows: readonly string[][], align: "left" | "right" = "left"): string {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
    const pad = (cell: string, width: number) => (align === "left" ? cell.padEnd(width) : cell.padStart(width));
    return rows.map((row) => row.map((cell, i) => pad(cell, widths[i])).join("  ").trimEnd()).join("\n");
}

/**
 * A readable account of one invocation: a line for the frame, a table of faces and where each
 * crop is stored (and, for a local store, the folder it lives in).
 */
export function formatResult(result: InvocationResult, store?: { endpoint: string; directory: string }): string {
    const header = `${result.faces.length} face(s) in a ${result.image.width}x${result.image.height} image`
        + (result.frameId ? ` (frame ${result.frameId})` : "")
        + (result.timings?.totalMs !== undefined ? `, ${result.timings.totalMs} ms` : "");
    if (result.faces.length === 0) {
        return `${header}; nothing stored.`;
    }
    const rows = [["#", "score", "box (x,y,w,h)", "crop", "size"]];
    result.faces.forEach((face, i) => rows.push([
        String(i),
        face.score.toFixed(3),
        `${face.box.x},${face.box.y},${face.box.width},${face.box.height}`,
        `s3://${face.crop.bucket}/${face.crop.key}`,
        `${face.crop.width}x${face.crop.height}, ${(face.crop.bytes / 1024).toFixed(1)} KB`,
    ]));
    const where = store ? `\nCrops are in the local store at ${store.endpoint} (files under ${path.relative(process.cwd(), store.directory) || "."}).` : "";
    return `${header}\n${table(rows)}${where}`;
}
