import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DetectFacesCommand, RekognitionClient } from "@aws-sdk/client-rekognition";
import { loadDetector } from "../../container/src/detection";
import { decodeImage } from "../../container/src/frame";
import { layoutSheets, renderSheet } from "../../container/src/render";
import { readSheet } from "../../emotions/src/sheetFaces";
import { EXPRESSION_TO_EMOTION, RekognitionStandIn, startRekognitionStandIn } from "../../tools/local/rekognitionStandIn";
import { SAMPLE_DIR } from "../../tools/samples";

describe("the local Rekognition stand-in", function () {
    this.timeout(120_000);
    let standIn: RekognitionStandIn;
    let client: RekognitionClient;
    before(async () => {
        standIn = await startRekognitionStandIn();
        client = new RekognitionClient({ endpoint: standIn.url, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    });
    after(() => standIn.close());

    it("answers the real SDK client's DetectFaces on a face sheet: every face found in its cell, with emotions", async () => {
        const image = await decodeImage(fs.readFileSync(path.join(SAMPLE_DIR, "sample1.jpg")));
        const faces = await (await loadDetector()).detect(image, { minConfidence: 0.5, maxFaces: 100, minFaceSize: 40 });
        const [layout] = layoutSheets(faces, image, 0.4);
        const sheet = await renderSheet(image, layout, 90);
        const answer = await client.send(new DetectFacesCommand({ Image: { Bytes: sheet }, Attributes: ["EMOTIONS"] }));
        assert.strictEqual(answer.FaceDetails!.length, faces.length);
        const reading = readSheet({ sheetSize: layout, cells: layout.cells }, answer.FaceDetails!);
        assert.deepStrictEqual(reading.faces.map((face) => face.found), faces.map(() => true));
        assert.strictEqual(reading.strays, 0);
        for (const face of reading.faces) {
            // Seven expressions, as probabilities in percent that add up to about 100.
            const total = Object.values(face.emotions!).reduce((sum, value) => sum + value, 0);
            assert.ok(Math.abs(total - 100) < 1, `emotions add up to ${total}`);
            assert.ok(Object.values(EXPRESSION_TO_EMOTION).includes(face.emotion as never));
        }
    });

    it("refuses other operations and bad bodies the way Rekognition does, as named exceptions", async () => {
        await assert.rejects(client.send(new DetectFacesCommand({ Image: { Bytes: Buffer.from("not an image") } })), { name: "InvalidImageFormatException" });
        await assert.rejects(client.send(new DetectFacesCommand({ Image: { S3Object: { Bucket: "b", Name: "k" } } })), { name: "InvalidParameterException" });
    });
});
