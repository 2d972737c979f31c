/**
 * The tools as commands (`npx face-detection-moods --json | jq`, without npm's banner): each bin
 * loads its TypeScript through tsx, as `npm run` does, and exits with the tool's own code.
 */
"use strict";
require("tsx/cjs");

module.exports = (tool) => {
    const { main } = require(`../${tool}.ts`);
    Promise.resolve(main(process.argv.slice(2))).then((code) => process.exit(code), (error) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
    });
};
