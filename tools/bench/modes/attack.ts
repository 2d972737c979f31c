/** Hostile input, overload and store faults against the server, and poison against the emotion stage. */
import { table } from "../../local/format";
import { runAttack } from "../attack";
import { BenchMode, BUCKET } from "../context";

export const attack: BenchMode = {
    summary: "hostile input, overload and store faults against the server and the emotion stage (about 2 minutes)",
    async run(context) {
        console.log("Attack: hostile input, overload and store faults against the server (about 2 minutes)...");
        const rows = await runAttack(context.s3, BUCKET);
        console.log(table([["check", "measured", "result"], ...rows.map((r) => [r.check, r.measured, r.passed ? "PASS" : "FAIL"])], "left"));
        context.writeResult("attack", { rows });
        return rows.every((r) => r.passed);
    },
};
