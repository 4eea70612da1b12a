/**
 * Explorer latency (issue 16's goal: every panel shows a change, and the first numbers appear, within
 * 100 ms of selecting an activation). For each catalogue φ, in headless Chromium: the median over
 * SIGPROP_EXPLORER_TRIES (default 3) visits of the slowest panel's progress indication (`busy`) and of
 * the first numbers, from the page's own timings. Baseline in the same run: Node's time for the
 * computation behind the first numbers (src/web/compute.ts `quickMain`: `analyze` without c*, and the
 * variance map), so the ratio page/Node separates the browser's overhead from the library's cost. Needs
 * /usr/bin/chromium; measured under whatever load the machine has (say so when quoting).
 */
import { ACTIVATION_CATALOGUE } from "../src/theory/index.js";
import { DEFAULT_STATE, quickMain } from "../src/web/compute.js";
import {
  HAVE_CHROMIUM,
  CHROMIUM,
  startExplorer,
  stopExplorer,
  visitActivation,
  waitAllDone,
  worstBusy,
} from "../test/support/explorerBrowser.js";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function run(): Promise<Record<string, unknown>> {
  if (!HAVE_CHROMIUM) return { skipped: `${CHROMIUM} not found` };
  const tries = Number(process.env.SIGPROP_EXPLORER_TRIES ?? 3);
  const x = await startExplorer();
  try {
    const page = await x.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(x.url);
    await page.waitForSelector("#status[data-ready]", { timeout: 30_000 });
    await waitAllDone(page);
    const per: Record<string, unknown> = {};
    let within = 0;
    for (const a of ACTIVATION_CATALOGUE) {
      const busy: number[] = [];
      const numbers: number[] = [];
      const full: number[] = [];
      for (let t = 0; t < tries; t++) {
        // another model in between, so each visit is a change (later visits hit the page's caches)
        if (t > 0) await visitActivation(page, a.name === "linear" ? "relu" : "linear");
        const r = await visitActivation(page, a.name);
        if (r.error) throw new Error(`${a.name}: ${r.error}`);
        busy.push(worstBusy(r));
        numbers.push(r.panels.numbers.first!);
        full.push(r.done!);
      }
      const node: number[] = [];
      for (let t = 0; t < 5; t++) {
        const t0 = performance.now();
        quickMain({ ...DEFAULT_STATE, activation: a.name });
        node.push(performance.now() - t0);
      }
      const m = { busy: median(busy), numbers: median(numbers), node: median(node) };
      process.stderr.write(
        `bench/explorer: ${a.name} busy ${m.busy.toFixed(0)} ms, numbers ${m.numbers.toFixed(0)} ms\n`,
      );
      if (m.busy <= 100 && m.numbers <= 100) within++;
      per[a.name] = {
        busy_ms_median: m.busy,
        first_numbers_ms_median: m.numbers,
        all_final_ms_median: median(full),
        node_first_numbers_ms_median: m.node,
        page_over_node: m.numbers / m.node,
        within_100ms: m.busy <= 100 && m.numbers <= 100,
      };
    }
    await page.close();
    return { tries, activations: ACTIVATION_CATALOGUE.length, within_100ms: within, per_activation: per };
  } finally {
    await stopExplorer(x);
  }
}
