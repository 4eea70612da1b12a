/** Child process for the seed-reproduction kill -9 test: `reproduce isometry` at the tiny scale (argv: out dir). */
import { reproduce } from "../../src/report/reproduce.js";

await reproduce({
  out: process.argv[2],
  figures: ["isometry"],
  scale: { name: "tiny", width: 8, networks: 2, weights: "gaussian", pairs: 1 },
  seed: 4,
  simulator: async () => ({}) as never,
});
