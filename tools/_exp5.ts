import { decodeImage } from "../container/src/decode";
import { loadDetector } from "../container/src/detector";
import { composeCrowdFrame, matchFaces } from "./bench/crowd";
(async () => {
  const d = await loadDetector({ precision: process.env.INT8 === "1" ? "int8" : "fp32" });
  const [W, H] = (process.argv[2] ?? "1920x1080").split("x").map(Number);
  const mfs = Number(process.argv[4] ?? 40); const thr = Number(process.argv[5] ?? 0.5);
  for (const fh of (process.argv[3] ?? "32,40,48,64,96,128,192").split(",").map(Number)) {
    const f = await composeCrowdFrame({ width: W, height: H, faceHeight: fh });
    const img = await decodeImage(f.body);
    const t = performance.now();
    const faces = await d.detect(img, { minConfidence: thr, maxFaces: 500, minFaceSize: mfs });
    const m = matchFaces(f.truth, faces);
    console.log(W, H, fh, "faces", f.truth.length, "recall", (m.found / f.truth.length * 100).toFixed(0) + "%", "false", m.falseFaces, "ms", Math.round(performance.now() - t), "rss", (process.memoryUsage().rss/2**20).toFixed(0));
  }
})();
