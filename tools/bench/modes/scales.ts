/** The model alone, on the crowd set's faces shown at each height in its input: where its reliable band lies. */
import { table } from "../../local/format";
import { BenchMode } from "../context";
import { measureModelScales } from "../modelScales";

export const scales: BenchMode = {
    summary: "the model alone at each face height in its input (a measurement: no targets)",
    async run(context) {
        console.log("Scales: the model alone, on the crowd set's faces shown at each height in its input...");
        const { precision, rows } = await measureModelScales();
        console.log(table([["face px in the model's input", "faces", "found (score >= MIN_CONFIDENCE)", "5th percentile score"],
            ...rows.map((r) => [String(r.inputFaceHeight), String(r.faces), `${(100 * r.found / r.faces).toFixed(1)}%`, r.p5Score.toFixed(2)])], "right"));
        console.log(`(${precision})`);
        context.writeResult("scales", { precision, rows });
        return true;
    },
};
