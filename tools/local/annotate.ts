import sharp from "sharp";

export interface Box {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    /** Written above the box: the score, and where the face is stored. */
    readonly label: string;
}

/** The photo, upright, with each face boxed and labelled: people would rather look than read. */
export async function drawBoxes(image: Buffer, boxes: readonly Box[]): Promise<Buffer> {
    const upright = sharp(image).rotate();
    const { data, info } = await upright.toBuffer({ resolveWithObject: true });
    const stroke = Math.max(2, Math.round(Math.min(info.width, info.height) / 300));
    const font = stroke * 8;
    const shapes = boxes.map((b) =>
        `<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" fill="none" stroke="#00e676" stroke-width="${stroke}"/>`
        + `<text x="${b.x}" y="${Math.max(font, b.y - stroke * 2)}" font-family="sans-serif" font-size="${font}" fill="#00e676">${escapeXml(b.label)}</text>`);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${info.width}" height="${info.height}">${shapes.join("")}</svg>`;
    return sharp(data).composite([{ input: Buffer.from(svg) }]).jpeg({ quality: 90 }).toBuffer();
}

function escapeXml(text: string): string {
    return text.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "\"": "&quot;" })[c]!);
}
