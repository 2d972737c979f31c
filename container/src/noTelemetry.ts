/**
 * ONNX Runtime's Node package collects usage telemetry unless told not to: it writes a device id
 * and a database under ~/.cache/Microsoft/DeveloperTools and a log in /tmp, and tries HTTPS
 * uploads. An inference container sends data to S3 only, so this module, imported before
 * `onnxruntime-node` is loaded, turns it off (`ORT_DISABLE_TELEMETRY`, read by ONNX Runtime 1.30
 * at load). The Dockerfile sets the variable as well. An operator may still set it to 0.
 */
process.env.ORT_DISABLE_TELEMETRY ??= "1";
