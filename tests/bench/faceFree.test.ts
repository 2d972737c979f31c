import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cachedPath, faceFreeFrames, faceFreeList } from "../../tools/samples";

describe("the face-free set", () => {
    it("lists at least 40 distinct photos, each with its Debian package, path and what it shows", () => {
        const photos = faceFreeList();
        assert.ok(photos.length >= 40, `${photos.length} photos`);
        assert.strictEqual(new Set(photos.map((p) => `${p.package}/${p.path}`)).size, photos.length);
        for (const photo of photos) {
            assert.match(photo.package, /^[a-z0-9][a-z0-9.+-]+$/, photo.path);
            assert.match(photo.path, /^usr\/share\/|^usr\/lib\//, photo.path);
            assert.match(photo.path, /\.(jpe?g|png)$/, photo.path);
            assert.ok(photo.what.length > 0, photo.path);
        }
    });

    it("reads the photos already fetched without calling apt-get", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "face-free-test-"));
        try {
            for (const photo of faceFreeList()) {
                fs.mkdirSync(path.dirname(cachedPath(photo, dir)), { recursive: true });
                fs.writeFileSync(cachedPath(photo, dir), photo.path);
            }
            // An empty PATH: were apt-get needed, it could not be found.
            const savedPath = process.env.PATH;
            process.env.PATH = "";
            let frames;
            try {
                frames = faceFreeFrames(dir);
            } finally {
                process.env.PATH = savedPath;
            }
            assert.strictEqual(frames.length, faceFreeList().length);
            for (const [i, photo] of faceFreeList().entries()) {
                assert.strictEqual(frames[i].body.toString(), photo.path);
                assert.strictEqual(frames[i].contentType, photo.path.endsWith(".png") ? "image/png" : "image/jpeg");
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
