#!/usr/bin/env node
/** Entry point of the image: SageMaker runs `docker run <image> serve`. */
import { serve } from "./server";

const command = process.argv[2] ?? "serve";
if (command === "serve") {
    serve();
} else {
    console.error(`Unknown command "${command}": this image only knows "serve".`);
    process.exit(2);
}
