// @ts-check
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["**/bin/**", "**/node_modules/**", ".local/**", ".face-detection/**", "bench-results/**", "test-artifacts/**"] },
    eslint.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            "eqeqeq": ["error", "always"],
            "no-console": "off",
        },
    },
    {
        // The crowd-mood page's script runs in the browser, with uPlot loaded before it.
        files: ["tools/page/static/**/*.js"],
        languageOptions: {
            sourceType: "script",
            globals: Object.fromEntries(["window", "document", "fetch", "Image", "EventSource", "console", "uPlot"].map((name) => [name, "readonly"])),
        },
    },
    {
        // The tools' command shims: CommonJS run by Node.
        files: ["tools/cli/**/*.js"],
        languageOptions: {
            sourceType: "commonjs",
            globals: Object.fromEntries(["require", "module", "process", "console"].map((name) => [name, "readonly"])),
        },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        files: ["tests/**/*.ts"],
        rules: { "@typescript-eslint/no-non-null-assertion": "off" },
    },
);
