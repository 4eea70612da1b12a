import { defineConfig } from "vite";

export default defineConfig({
  root: "src/web",
  base: "./",
  // Vega and Vega-Lite make the page bundle ≈ 0.85 MB (≈ 0.25 MB gzipped)
  build: { outDir: "../../web-dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 1000 },
  worker: { format: "es" },
});
