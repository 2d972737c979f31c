/** The emotion stage over composed crowd video of several streams, read three ways (every frame, intervals, intervals packed). */
import { table } from "../../local/format";
import { BUCKET, BenchMode, printChecks } from "../context";
import { runStreams } from "../streams";
import { TARGETS } from "../targets";

export const streams: BenchMode = {
    summary: "the emotion stage's Rekognition calls per stream-hour, read three ways, and the shares' agreement",
    defaultMinutes: 2,
    async run(context, options) {
        const minutes = options.minutes ?? 2;
        console.log(`Streams: ${minutes} min of composed crowd video (20 faces a frame, 1 frame/s) for 4 streams, read three ways...`);
        const report = await runStreams(context.s3, BUCKET, minutes);
        console.log(table([["streams", "way", "Rekognition calls per stream-hour", "faces per call", "fewer calls than (a)"],
            ...report.rows.map((r) => [String(r.streams), r.way, String(r.callsPerStreamHour), String(r.facesPerCall), `${r.saving}×`])], "right"));
        const { inside, total, worst } = report.sharesInside;
        console.log(`(c)'s shares inside (a)'s 95% interval (over the people (a) read), 4 streams: ${inside} of ${total} interval × expression pairs${worst ? `; furthest: ${worst}` : ""}`);
        console.log(`Packing moves a share by ${report.packingShift.mean} points on average, ${report.packingShift.max} at most ((b) against (c): the same frames, read without and with packs)`);
        printChecks([
            [`(c) makes at least ${TARGETS.streamsSaving}× fewer calls than (a)`, report.rows.filter((r) => r.way.startsWith("(c)")).every((r) => r.saving >= TARGETS.streamsSaving)],
            ["every interval's shares of (c) within (a)'s 95% interval", inside === total],
        ]);
        context.writeResult("streams", report);
        return report.passed;
    },
};
