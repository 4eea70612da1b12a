import { defineConfig } from "vite";

export default defineConfig({
  root: "src/web",
  base: "./",
  build: { outDir: "../../web-dist", emptyOutDir: true, target: "es2022" },
  worker: { format: "es" },
});
