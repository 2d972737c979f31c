import * as path from "path";

export interface InvocationResult {
    readonly frameId?: string;
    /** The frame's camera and capture time, as the endpoint took them. */
    readonly stream?: string;
    readonly capturedAt?: string;
    readonly faces: { box: { x: number; y: number; width: number; height: number }; score: number; crop?: { bucket: string; key: string; width: number; height: number; bytes: number } }[];
    /** Absent from servers older than face sheets. */
    readonly sheets?: { bucket: string; key: string; manifestKey: string; width: number; height: number; bytes: number; faces: number[] }[];
    readonly image: { width: number; height: number };
    readonly timings?: { totalMs?: number };
}

/** Rows as aligned columns, two spaces apart: text reads best left-aligned, figures right-aligned. */
export function table(rows: readonly string[][], align: "left" | "right" = "left"): string {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
    const pad = (cell: string, width: number) => (align === "left" ? cell.padEnd(width) : cell.padStart(width));
    return rows.map((row) => row.map((cell, i) => pad(cell, widths[i])).join("  ").trimEnd()).join("\n");
}

/** Where each face went: its sheet and cell (`sheet 0 #3`), by face index. */
export function sheetCells(result: InvocationResult): Map<number, string> {
    const cells = new Map<number, string>();
    (result.sheets ?? []).forEach((sheet, s) => sheet.faces.forEach((face, cell) => cells.set(face, `sheet ${s} #${cell}`)));
    return cells;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * A readable account of one invocation: a line for the frame, a table of faces with where each
 * is stored (its crop, its cell on a face sheet), the sheets, and, for a local store, the folder.
 */
export function formatResult(result: InvocationResult, store?: { endpoint: string; directory: string }): string {
    const header = `${result.faces.length} face(s) in a ${result.image.width}x${result.image.height} image`
        + (result.frameId ? ` (frame ${result.frameId})` : "")
        + (result.timings?.totalMs !== undefined ? `, ${result.timings.totalMs} ms` : "");
    if (result.faces.length === 0) {
        return `${header}; nothing stored.`;
    }
    const cells = sheetCells(result);
    const withCrops = result.faces.some((face) => face.crop);
    const rows = [["#", "score", "box (x,y,w,h)", ...(cells.size > 0 ? ["sheet"] : []), ...(withCrops ? ["crop", "size"] : [])]];
    result.faces.forEach((face, i) => rows.push([
        String(i),
        face.score.toFixed(3),
        `${face.box.x},${face.box.y},${face.box.width},${face.box.height}`,
        ...(cells.size > 0 ? [cells.get(i) ?? "-"] : []),
        ...(withCrops ? [face.crop ? `s3://${face.crop.bucket}/${face.crop.key}` : "-", face.crop ? `${face.crop.width}x${face.crop.height}, ${kb(face.crop.bytes)}` : "-"] : []),
    ]));
    const sheets = (result.sheets ?? []).map((sheet, s) =>
        `\nsheet ${s}: s3://${sheet.bucket}/${sheet.key} (${sheet.faces.length} faces, ${sheet.width}x${sheet.height}, ${kb(sheet.bytes)}); manifest ${sheet.manifestKey}`);
    const where = store ? `\nStored in the local store at ${store.endpoint} (files under ${path.relative(process.cwd(), store.directory) || "."}).` : "";
    return `${header}\n${table(rows)}${sheets.join("")}${where}`;
}
