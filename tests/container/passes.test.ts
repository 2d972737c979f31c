import * as assert from "assert";
import { clearOfInnerEdges, COARSE_MIN_FACE_PX, FINE_FACE_PX, FINE_WINDOW_PX, MAX_TILE_PIXELS, mergeFaces, planPasses, TILE_ALIGN, tileGrid } from "../../container/src/detection";
import { seededRandom } from "../../tools/samples";

const describePasses = (width: number, height: number, minFaceSize: number) => planPasses({ width, height }, minFaceSize)
    .map((pass) => (pass.kind === "fine"
        ? `fine ×${Number(pass.scale.toFixed(3))} [${Math.round(pass.minFace)}, ${Math.round(pass.maxFace)}) ${pass.tiles.length} tile(s)`
        : `coarse ×${pass.scale.toFixed(3)} ≥ ${Math.round(pass.minFace)}`));

describe("detection passes", () => {
    const plans: [number, number, number, string[]][] = [
        [1920, 1080, 40, ["fine ×1.05 [0, 85) 2 tile(s)", "fine ×0.565 [65, 159) 1 tile(s)", "fine ×0.304 [120, 210) 1 tile(s)", "coarse ×0.267 ≥ 183"]],
        [1920, 1080, 192, ["coarse ×0.267 ≥ 0"]],
        [1920, 1080, 150, ["fine ×0.28 [0, 210) 1 tile(s)", "coarse ×0.267 ≥ 183"]],
        [1920, 1080, 160, ["coarse ×0.267 ≥ 0"]],
        [1280, 720, 40, ["fine ×1.05 [0, 85) 1 tile(s)", "fine ×0.565 [65, 140) 1 tile(s)", "coarse ×0.400 ≥ 120"]],
        [3840, 2160, 80, ["fine ×0.525 [0, 171) 2 tile(s)", "fine ×0.283 [129, 317) 1 tile(s)", "fine ×0.152 [240, 420) 1 tile(s)", "coarse ×0.133 ≥ 365"]],
        [640, 480, 40, ["fine ×1.05 [0, 70) 1 tile(s)", "coarse ×0.800 ≥ 61"]],
    ];
    for (const [width, height, minFace, expected] of plans) {
        it(`${width}×${height}, MIN_FACE_SIZE ${minFace}: ${expected.length} pass(es)`, () => {
            assert.deepStrictEqual(describePasses(width, height, minFace), expected);
        });
    }

    it("brings the smallest face to the model at the band's lower edge, every face height into a window, and no fine pass below the coarse scale", () => {
        for (const [width, height, minFace] of [[1920, 1080, 40], [3840, 2160, 40], [1280, 720, 24], [4000, 3000, 64], [1920, 1080, 150], [640, 480, 40]]) {
            const passes = planPasses({ width, height }, minFace);
            const first = passes[0];
            assert.ok(first.kind === "fine" && Math.abs(minFace * first.scale - FINE_FACE_PX) < 1e-9);
            const coarse = passes[passes.length - 1];
            for (const pass of passes.slice(0, -1)) {
                // Faces the coarse pass is trusted for are its alone: their boxes stay face-api's.
                assert.ok(pass.kind === "fine" && pass.maxFace * coarse.scale <= COARSE_MIN_FACE_PX + 1e-9, `${width}×${height}: pass ×${pass.scale}`);
                assert.ok(pass.scale > coarse.scale, `${width}×${height}: pass ×${pass.scale} at or below the coarse scale`);
            }
            // Each pass's window starts below where the one before ends.
            passes.slice(1).forEach((pass, i) => {
                const before = passes[i];
                assert.ok(before.kind === "fine" && pass.minFace < before.maxFace, `${width}×${height}: pass ${i + 1}`);
            });
            // Every fine pass is responsible for faces from FINE_FACE_PX to FINE_WINDOW_PX in its input.
            passes.slice(1, -1).forEach((pass, i) => {
                assert.ok(Math.abs(pass.scale / passes[i].scale - FINE_FACE_PX / FINE_WINDOW_PX) < 1e-9);
            });
        }
    });

    it("leaves a frame to the coarse pass alone where it shows a face of MIN_FACE_SIZE at the fine passes' size", () => {
        for (const [width, height, minFace] of [[1920, 1080, 160], [1920, 1080, 192], [640, 480, 60], [3840, 2160, 320]]) {
            const passes = planPasses({ width, height }, minFace);
            assert.deepStrictEqual(passes.map((pass) => pass.kind), ["coarse"], `${width}×${height}, ${minFace}`);
            assert.ok(minFace * passes[0].scale >= FINE_FACE_PX);
        }
    });

    it("tiles cover the image, stay within the memory bound and overlap enough for any face a pass keeps", () => {
        const random = seededRandom(7);
        for (const [width, height, overlap] of [[2304, 1296, 128], [4608, 2592, 128], [1536, 864, 128], [700, 500, 96], [6000, 6000, 256]]) {
            const tiles = tileGrid(width, height, overlap);
            for (const tile of tiles) {
                assert.ok(tile.width * tile.height <= MAX_TILE_PIXELS);
                assert.ok(tile.width % TILE_ALIGN === 0 && tile.height % TILE_ALIGN === 0);
            }
            // Any face up to the overlap less the edge margin lies clear of some tile's inner edges.
            for (let i = 0; i < 500; i++) {
                const size = 4 + random() * (overlap - 8);
                const face = { x: random() * (width - size), y: random() * (height - size), size };
                const holder = tiles.find((tile) => clearOfInnerEdges({ x: face.x - tile.x, y: face.y - tile.y, width: size, height: size, score: 1 }, tile, { width, height })
                    && face.x >= tile.x && face.y >= tile.y && face.x + size <= tile.x + tile.width && face.y + size <= tile.y + tile.height);
                assert.ok(holder, `${width}×${height}: a ${size.toFixed(0)}-px face at ${face.x.toFixed(0)},${face.y.toFixed(0)} is whole in a tile`);
            }
        }
    });

    const tile = { x: 800, y: 0, width: 1024, height: 1088 };
    const edges: [string, number[], boolean][] = [
        ["inside", [100, 100, 200, 200], true],
        ["cut by the inner left edge", [100, 0, 200, 50], false],
        ["cut by the inner right edge", [100, 1000, 200, 1024], false],
        ["at the frame's own top edge", [0, 300, 60, 360], true],
        ["at the frame's own bottom edge (tile padded past it)", [1040, 300, 1080, 360], true],
    ];
    for (const [name, [top, left, bottom, right], clear] of edges) {
        it(`a box ${name} is ${clear ? "kept" : "left to the neighbouring tile"}`, () => {
            assert.strictEqual(clearOfInnerEdges({ x: left, y: top, width: right - left, height: bottom - top, score: 0.9 }, tile, { width: 1920, height: 1080 }), clear);
        });
    }
});

describe("merging the passes' faces", () => {
    const face = (x: number, y: number, width: number, height: number, score: number) => ({ x, y, width, height, score });

    it("keeps the coarse pass's face over a lower-scoring box of the same face from a finer pass", () => {
        const coarse = face(100, 100, 200, 260, 0.95);
        assert.deepStrictEqual(mergeFaces([[coarse], [face(110, 105, 190, 250, 0.9)]]), [coarse]);
    });

    it("takes a finer pass's box of the same face where it scores higher", () => {
        const loose = face(100, 100, 60, 90, 0.6);
        const tight = face(110, 110, 40, 64, 0.9);
        assert.deepStrictEqual(mergeFaces([[loose], [tight]]), [tight]);
    });

    it("drops a part of a larger face (an eye band) whatever its score", () => {
        const large = face(200, 600, 211, 299, 0.93);
        assert.deepStrictEqual(mergeFaces([[large], [face(251, 685, 255, 79, 0.99)]]), [large]);
    });

    it("suppresses overlaps within a pass by score, and keeps faces apart", () => {
        const merged = mergeFaces([[], [face(0, 0, 50, 60, 0.7), face(2, 2, 50, 60, 0.8), face(300, 0, 50, 60, 0.6)]]);
        assert.deepStrictEqual(merged.map((f) => f.score), [0.8, 0.6]);
    });
});
