import { decodeImage } from "../container/src/decode";
import { loadDetector } from "../container/src/detector";
import { composeCrowdFrame, boxIou } from "./bench/crowd";
(async () => {
  const d = await loadDetector({ precision: "int8" });
  const fh = Number(process.argv[2]); const thr = Number(process.argv[3]);
  const f = await composeCrowdFrame({ width: 1920, height: 1080, faceHeight: fh }); const src = (i: number) => i % 22;
  const faces = await d.detect(await decodeImage(f.body), { minConfidence: thr, maxFaces: 500, minFaceSize: 40 });
  for (const face of faces) {
    const best = f.truth.map((t, i) => [boxIou(t, face), i] as const).sort((a, b) => b[0] - a[0])[0];
    if (best[0] < 0.5) console.log("false", JSON.stringify(face), "best iou", best[0].toFixed(2), JSON.stringify(f.truth[best[1]]));
  }
  for (const t of f.truth) { const b = Math.max(...faces.map(x => boxIou(t, x))); if (b < 0.5) console.log("missed", src(f.truth.indexOf(t)), JSON.stringify(t), "best", b.toFixed(2)); }
})();
