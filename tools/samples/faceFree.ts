/**
 * The face-free set: photos from Debian packages (test data of image libraries, their
 * documentation, desktop wallpapers), each judged face-free by eye and listed in face-free.json.
 * The repository holds the list, not the photos: the bench fetches them once with
 * `apt-get download` and keeps them under .local/face-free. Tests never need Debian's mirror.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../paths";
import { Frame } from "./frame";

export interface FaceFreePhoto {
    /** The Debian package that ships it. */
    readonly package: string;
    /** Its path inside the package. */
    readonly path: string;
    /** What it shows, as judged by eye. */
    readonly what: string;
}

export const FACE_FREE_DIR = path.join(REPO_ROOT, ".local", "face-free");

export function faceFreeList(): FaceFreePhoto[] {
    const list = JSON.parse(fs.readFileSync(path.join(__dirname, "face-free.json"), "utf8")) as { photos: FaceFreePhoto[] };
    return list.photos;
}

/** Where a listed photo is kept once fetched. */
export function cachedPath(photo: FaceFreePhoto, dir = FACE_FREE_DIR): string {
    return path.join(dir, photo.package, photo.path);
}

/**
 * Fetches the packages of the photos not yet kept, extracts only the listed files, and returns
 * every photo as a frame. Throws, naming the package, when apt-get or dpkg-deb cannot.
 */
export function faceFreeFrames(dir = FACE_FREE_DIR): Frame[] {
    const photos = faceFreeList();
    const missing = photos.filter((photo) => !fs.existsSync(cachedPath(photo, dir)));
    for (const pkg of new Set(missing.map((photo) => photo.package))) {
        fetchPackageFiles(pkg, missing.filter((photo) => photo.package === pkg).map((photo) => photo.path), path.join(dir, pkg));
    }
    return photos.map((photo) => ({
        name: `${photo.package}/${path.basename(photo.path)} (${photo.what})`,
        body: fs.readFileSync(cachedPath(photo, dir)),
        contentType: photo.path.endsWith(".png") ? "image/png" : "image/jpeg",
        good: true,
    }));
}

function fetchPackageFiles(pkg: string, files: readonly string[], into: string): void {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "face-free-"));
    try {
        try {
            execFileSync("apt-get", ["download", pkg], { cwd: work, stdio: ["ignore", "ignore", "pipe"] });
        } catch (error) {
            throw new Error(`Fetching the face-free photos of Debian package ${pkg} with apt-get download failed: ${(error as Error).message}`);
        }
        const deb = fs.readdirSync(work).find((name) => name.endsWith(".deb"));
        if (!deb) {
            throw new Error(`apt-get download ${pkg} left no .deb file.`);
        }
        // Into a staging folder first, so a failed extraction leaves no half a set behind.
        const staging = path.join(work, "files");
        fs.mkdirSync(staging);
        try {
            const tar = execFileSync("dpkg-deb", ["--fsys-tarfile", path.join(work, deb)], { maxBuffer: 1 << 30 });
            execFileSync("tar", ["-x", "-C", staging, ...files.map((file) => `./${file}`)], { input: tar, stdio: ["pipe", "ignore", "pipe"] });
        } catch (error) {
            // Another release of the package may have moved a file: say which package and files.
            throw new Error(`Extracting ${files.join(", ")} from ${deb} failed: ${(error as Error).message}`);
        }
        for (const file of files) {
            fs.mkdirSync(path.dirname(path.join(into, file)), { recursive: true });
            fs.copyFileSync(path.join(staging, file), path.join(into, file));
        }
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}
