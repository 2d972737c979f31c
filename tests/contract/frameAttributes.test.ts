import * as assert from "assert";
import {
    formatFrameAttributes, FrameAttributeError, MAX_CUSTOM_ATTRIBUTES, parseFrameAttributes, parseFrameKey, sheetKeys,
} from "@crowd-emotions/face-detection-contract";

const NOW = new Date("2026-12-07T10:15:31Z");

describe("a frame's custom attributes", () => {
    it("reads stream, capture time and frame id, in any order and case, among others' attributes", () => {
        assert.deepStrictEqual(parseFrameAttributes("trace=abc, Frame-Id=cam7-000123;stream=lobby-1,captured-at=2026-12-07T10:15:30.250Z", NOW), {
            frameId: "cam7-000123", stream: "lobby-1", capturedAt: new Date("2026-12-07T10:15:30.250Z"),
        });
    });

    it("defaults to the stream `default` and the arrival time, with no frame id", () => {
        assert.deepStrictEqual(parseFrameAttributes(undefined, NOW), { stream: "default", capturedAt: NOW });
        assert.deepStrictEqual(parseFrameAttributes("trace=abc", NOW), { stream: "default", capturedAt: NOW });
    });

    it("takes capture times with any zone, seconds and fractions optional", () => {
        assert.deepStrictEqual(parseFrameAttributes("captured-at=2026-12-07T11:15+01:00", NOW).capturedAt, new Date("2026-12-07T10:15:00Z"));
    });

    const bad: [string, string, string][] = [
        ["stream=", "stream", `stream in X-Amzn-SageMaker-Custom-Attributes must be 1-64 letters, digits, '.', '_' or '-', and not '.' or '..', got "".`],
        ["stream=..", "stream", `stream in X-Amzn-SageMaker-Custom-Attributes must be 1-64 letters, digits, '.', '_' or '-', and not '.' or '..', got "..".`],
        ["stream=lobby/1", "stream", `stream in X-Amzn-SageMaker-Custom-Attributes must be 1-64 letters, digits, '.', '_' or '-', and not '.' or '..', got "lobby/1".`],
        [`stream=${"s".repeat(65)}`, "stream", `stream in X-Amzn-SageMaker-Custom-Attributes must be 1-64 letters, digits, '.', '_' or '-', and not '.' or '..', got "${"s".repeat(65)}".`],
        ["frame-id=a b", "frame-id", `frame-id in X-Amzn-SageMaker-Custom-Attributes must be 1-128 letters, digits, '.', '_' or '-', and not '.' or '..', got "a b".`],
        ["captured-at=2026-12-07T10:15:30", "captured-at", `captured-at in X-Amzn-SageMaker-Custom-Attributes must be an ISO 8601 time with a zone (e.g. 2026-12-07T10:15:30.250Z), got "2026-12-07T10:15:30".`],
        ["captured-at=yesterday", "captured-at", `captured-at in X-Amzn-SageMaker-Custom-Attributes must be an ISO 8601 time with a zone (e.g. 2026-12-07T10:15:30.250Z), got "yesterday".`],
        ["captured-at=2026-02-30T10:00:00Z", "captured-at", `captured-at in X-Amzn-SageMaker-Custom-Attributes must be an ISO 8601 time with a zone (e.g. 2026-12-07T10:15:30.250Z), got "2026-02-30T10:00:00Z".`],
        ["captured-at=2026-12-08T10:15:32Z", "captured-at", `captured-at in X-Amzn-SageMaker-Custom-Attributes must be at most a day after the detector's clock, got "2026-12-08T10:15:32Z".`],
    ];
    for (const [header, attribute, message] of bad) {
        it(`refuses ${header.slice(0, 40)}, naming ${attribute}`, () => {
            assert.throws(() => parseFrameAttributes(header, NOW), (error: unknown) =>
                error instanceof FrameAttributeError && error.attribute === attribute && error.message === message);
        });
    }

    it("is written by clients as the detector reads it, within SageMaker's 1,024 characters at the longest", () => {
        const longest = { stream: "s".repeat(64), capturedAt: new Date("2026-12-07T10:15:30.250Z"), frameId: "f".repeat(128) };
        const header = formatFrameAttributes(longest, NOW);
        assert.ok(header.length <= MAX_CUSTOM_ATTRIBUTES && /^[\x21-\x7e]+$/.test(header), header);
        assert.deepStrictEqual(parseFrameAttributes(header, NOW), longest);
        assert.throws(() => formatFrameAttributes({ stream: "a,b" }, NOW), FrameAttributeError);
    });
});

describe("the key layout", () => {
    const frame = { capturedAt: new Date("2026-12-07T23:59:59.900Z"), stream: "lobby-1", frameId: "cam7-000123" };

    it("puts the capture day first, then the stream, then the frame", () => {
        assert.deepStrictEqual(sheetKeys("crops/", frame, 1), {
            image: "crops/2026/12/07/lobby-1/cam7-000123/sheet-1.jpg", manifest: "crops/2026/12/07/lobby-1/cam7-000123/sheet-1.json",
        });
    });

    it("reads back what it writes, and nothing else", () => {
        assert.deepStrictEqual(parseFrameKey(sheetKeys("crops/", frame, 1).manifest), { day: "2026/12/07", stream: "lobby-1", frameId: "cam7-000123", kind: "manifest", index: 1 });
        assert.deepStrictEqual(parseFrameKey("2026/12/07/default/f/face-12.jpg"), { day: "2026/12/07", stream: "default", frameId: "f", kind: "crop", index: 12 });
        for (const key of [
            "crops/2026/12/07/lobby-1/cam7/sheet-1e9.json", "crops/2026/12/07/lobby-1/cam7/sheet-01.json", "crops/2026/12/07/lobby-1/cam7/sheet-10000.json",
            "crops/2026/12/07/../cam7/sheet-0.json", "crops/2026/12/07/lobby-1/a b/sheet-0.json", "crops/2026/12/07/cam7/sheet-0.json",
            "crops/2026/12/07/lobby-1/cam7/face-0.json", "crops/2026/12/07/lobby-1/cam7/other.json",
        ]) {
            assert.strictEqual(parseFrameKey(key), undefined, key);
        }
    });
});
