import * as path from "path";

/** The six 1920-px sample photos shipped with @vladmandic/face-api live here (22 faces in all). */
export const SAMPLE_DIR = path.join(path.dirname(require.resolve("@vladmandic/face-api/package.json")), "demo");
