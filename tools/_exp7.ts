import * as fs from "fs";
import * as path from "path";
import { decodeImage } from "../container/src/decode";
import { loadDetector } from "../container/src/detector";
import { SAMPLE_DIR } from "./local/samples";
(async () => {
  for (const precision of ["fp32", "int8"] as const) {
    const d = await loadDetector({ precision });
    for (let n = 1; n <= 6; n++) {
      const img = await decodeImage(fs.readFileSync(path.join(SAMPLE_DIR, `sample${n}.jpg`)));
      const a = await d.detect(img, { minConfidence: 0.5, maxFaces: 100 });
      const b = await d.detect(img, { minConfidence: 0.5, maxFaces: 100, minFaceSize: 40 });
      console.log(precision, n, a.length, b.length, JSON.stringify(b.filter(f => !a.some(g => Math.abs(g.x - f.x) < 30 && Math.abs(g.y - f.y) < 30))), "diffs", JSON.stringify(a.map((f, i) => [f.x - (b[i]?.x ?? 0), f.y - (b[i]?.y ?? 0), f.width - (b[i]?.width ?? 0), f.height - (b[i]?.height ?? 0)])));
    }
  }
})();
