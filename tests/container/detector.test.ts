import { iou } from "../../container/src/geometry";
import * as assert from "assert";
import sharp from "sharp";
import { Detector, loadDetector, MODEL_INPUT_SIZE, needsRecheck } from "../../container/src/detection";
import { decodeImage } from "../../container/src/frame";
import { composeCrowdFrame, matchFaces } from "../../tools/samples";
import { sample, SAMPLES } from "./fixtures";

const options = { minConfidence: 0.5, maxFaces: 50 };

describe("the face detector (real model)", function () {
    this.timeout(120_000);
    let detector: Detector;
    before(async () => { detector = await loadDetector(); });
    // face-api's own pipeline, loaded once for the tests that compare against it.
    let reference: Promise<Detector> | undefined;
    const referenceDetector = () => (reference ??= loadDetector({ engine: "tfjs" }));

    for (const [file, count] of SAMPLES) {
        it(`finds the ${count} faces of ${file}`, async () => {
            const image = await decodeImage(sample(file));
            const faces = await detector.detect(image, options);
            assert.strictEqual(faces.length, count);
            for (const face of faces) {
                assert.ok(face.score >= 0.5 && face.score <= 1);
                assert.ok(face.x >= 0 && face.y >= 0 && face.x + face.width <= image.width && face.y + face.height <= image.height);
            }
        });
    }

    it("finds no face in the part of a photo below the people's faces", async () => {
        const photo = sample("sample1.jpg");
        const all = await detector.detect(await decodeImage(photo), options);
        const below = Math.max(...all.map((f) => f.y + f.height)) + 150;
        const { width, height } = await sharp(photo).metadata();
        const background = await sharp(photo).extract({ left: 0, top: below, width: width!, height: height! - below }).jpeg().toBuffer();
        assert.deepStrictEqual(await detector.detect(await decodeImage(background), options), []);
    });

    it("finds no face in a picture of shapes and noise", async () => {
        const noise = Buffer.alloc(640 * 480 * 3);
        for (let i = 0; i < noise.length; i++) {
            noise[i] = (i * 7919) % 251;
        }
        const picture = await sharp(noise, { raw: { width: 640, height: 480, channels: 3 } })
            .composite([{ input: Buffer.from('<svg width="640" height="480"><circle cx="320" cy="240" r="120" fill="#c96"/><rect x="40" y="40" width="160" height="90" fill="#36c"/></svg>') }])
            .jpeg().toBuffer();
        assert.deepStrictEqual(await detector.detect(await decodeImage(picture), options), []);
    });

    it("runs on ONNX Runtime by default", () => {
        assert.strictEqual(detector.engine, "onnx");
    });

    it("finds exactly the boxes and scores of face-api's own pipeline on TensorFlow.js", async () => {
        const reference = await referenceDetector();
        assert.strictEqual(reference.engine, "tfjs");
        for (const [file, count] of SAMPLES) {
            const image = await decodeImage(sample(file));
            const expected = await reference.detect(image, options);
            assert.strictEqual(expected.length, count, file);
            assert.deepStrictEqual(await detector.detect(image, options), expected, file);
        }
    });

    it("finds the faces of a frame smaller than the model's input, where both engines enlarge it", async () => {
        const small = await sharp(sample("sample4.jpg")).resize(480).jpeg().toBuffer();
        const reference = await referenceDetector();
        const image = await decodeImage(small);
        const [faces, expected] = [await detector.detect(image, options), await reference.detect(image, options)];
        assert.strictEqual(faces.length, expected.length);
        // face-api enlarges with a bilinear resize of the tensor, the ONNX engine with libvips: a pixel or two apart.
        faces.forEach((face, i) => {
            for (const key of ["x", "y", "width", "height"] as const) {
                assert.ok(Math.abs(face[key] - expected[i][key]) <= 3, `${key}: ${face[key]} vs ${expected[i][key]}`);
            }
        });
    });

    it("finds the same faces with two inference threads", async () => {
        const twoThreads = await loadDetector({ threads: 2 });
        const image = await decodeImage(sample("sample1.jpg"));
        assert.deepStrictEqual(await twoThreads.detect(image, options), await detector.detect(image, options));
    });

    it("answers frames detected at the same time as it answers them one by one", async () => {
        // A worker serves several requests at once: runs on the one session must not mix.
        const images = await Promise.all(SAMPLES.map(([file]) => decodeImage(sample(file))));
        const oneByOne = [];
        for (const image of images) {
            oneByOne.push(await detector.detect(image, options));
        }
        assert.deepStrictEqual(await Promise.all(images.map((image) => detector.detect(image, options))), oneByOne);
    });

    it("keeps the highest-scoring faces when capped", async () => {
        const image = await decodeImage(sample("sample5.jpg"));
        const all = await detector.detect(image, options);
        const capped = await detector.detect(image, { ...options, maxFaces: 2 });
        assert.deepStrictEqual(capped, all.slice(0, 2));
    });

    it("boxes faces in the EXIF-oriented image", async () => {
        // The same photo stored sideways with an orientation tag must give upright boxes.
        const upright = await decodeImage(sample("sample1.jpg"));
        const sideways = await sharp(sample("sample1.jpg")).rotate(270).withMetadata({ orientation: 6 }).jpeg().toBuffer();
        const decoded = await decodeImage(sideways);
        assert.deepStrictEqual([decoded.width, decoded.height], [upright.width, upright.height]);
        assert.strictEqual((await detector.detect(decoded, options)).length, 3);
    });

    describe("crowds", () => {
        const crowdOptions = { ...options, maxFaces: 100, minFaceSize: 40 };
        let int8: Detector;
        before(async () => { int8 = await loadDetector({ precision: "int8" }); });

        for (const precision of ["fp32", "int8"] as const) {
            it(`${precision}: with the default MIN_FACE_SIZE, the six samples keep the coarse pass's faces and boxes`, async () => {
                const engine = precision === "int8" ? int8 : detector;
                for (const [file, count] of SAMPLES) {
                    const image = await decodeImage(sample(file));
                    const faces = await engine.detect(image, crowdOptions);
                    assert.strictEqual(faces.length, count, file);
                    assert.deepStrictEqual(faces, await engine.detect(image, options), file);
                }
            });

            it(`${precision}: finds the small faces of a composed crowd frame at the default settings`, async () => {
                const engine = precision === "int8" ? int8 : detector;
                const frame = await composeCrowdFrame({ width: 1280, height: 720, faceHeight: 48, maxFaces: 40 });
                const image = await decodeImage(frame.body);
                const found = matchFaces(frame.truth, await engine.detect(image, crowdOptions));
                assert.ok(found.found >= 0.95 * frame.truth.length, `${found.found}/${frame.truth.length} found`);
                assert.ok(found.falseFaces <= 1, `${found.falseFaces} false faces`);
                // The coarse pass alone, as face-api runs, misses most of them.
                const coarse = matchFaces(frame.truth, await engine.detect(image, options));
                assert.ok(coarse.found < 0.5 * frame.truth.length, `coarse pass alone: ${coarse.found}/${frame.truth.length}`);
            });
        }

        it("keeps a face that fills a 1080p frame through the second look at very large faces", async () => {
            // sample3's left face, with its head and shoulders, enlarged to fill a 1080-px-tall frame.
            const [x, y, width, height] = [584, 328, 200, 272];
            const pad = Math.round(height * 0.6);
            const body = await sharp(sample("sample3.jpg"))
                .extract({ left: x - pad, top: y - pad, width: width + 2 * pad, height: height + 2 * pad })
                .resize({ height: 1080 }).jpeg().toBuffer();
            const image = await decodeImage(body);
            for (const engine of [detector, int8]) {
                const faces = await engine.detect(image, crowdOptions);
                assert.strictEqual(faces.length, 1);
                assert.ok(needsRecheck(faces[0], MODEL_INPUT_SIZE / Math.max(image.width, image.height)), `${faces[0].height} px tall: second look`);
            }
        });

        it("int8 finds the samples' faces where fp32 does, boxed alike", async () => {
            for (const [file] of SAMPLES) {
                const image = await decodeImage(sample(file));
                const [exact, quantized] = [await detector.detect(image, options), await int8.detect(image, options)];
                assert.strictEqual(quantized.length, exact.length, file);
                // Scores move a little, so faces of close scores may swap places: pair each with its nearest.
                // How far a box moves depends on the CPU: with VNNI the 8-bit products are summed in 32
                // bits; without it (AVX2, AVX-512 without VNNI) ONNX Runtime sums pairs of them with
                // VPMADDUBSW, whose 16-bit sums saturate, and a box moves a few pixels more (sample2's
                // middle face: IoU 0.89 on an AVX2 CPU, the rest 0.90 or more).
                for (const face of exact) {
                    const nearest = Math.max(...quantized.map((other) => iou(face, other)));
                    assert.ok(nearest >= 0.85, `${file}: the face at ${face.x},${face.y} is found in int8 with IoU ${nearest.toFixed(2)}`);
                }
            }
        });
    });
});
