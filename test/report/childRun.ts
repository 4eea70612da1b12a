/** Child process for the kill -9 test: a reproduction with a slow fake simulator (argv: out dir). */
import { reproduce } from "../../src/report/reproduce.js";
import { fakeSimulator } from "./fakeSim.js";

const out = process.argv[2];
await reproduce({
  out,
  figures: ["fig2", "fig4"],
  scale: { name: "tiny", width: 8, networks: 2, weights: "gaussian", pairs: 1 },
  seed: 3,
  simulator: async () => fakeSimulator({ delayMs: 150 }),
});
