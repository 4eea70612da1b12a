import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// `sigprop/<entry>` resolves to the source of each public entry in package.json's `exports` (dist/x.js →
// src/x.ts), so the examples run in the tests as users write them, without a build.
const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  exports: Record<string, { import: string }>;
};
const alias = Object.entries(pkg.exports).map(([entry, target]) => ({
  find: new RegExp(`^sigprop${entry.slice(1).replace(/[/-]/g, "\\$&")}$`),
  replacement: fileURLToPath(
    new URL(target.import.replace(/^\.\/dist\//, "./src/").replace(/\.js$/, ".ts"), import.meta.url),
  ),
}));

export default defineConfig({
  resolve: { alias },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
