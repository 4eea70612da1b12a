/**
 * The explorer in headless Chromium, shared by the browser tests (test/web/explorer.test.ts) and the
 * latency benchmark (bench/explorer.ts): build web-dist/ with Vite, serve it with `sigprop explore`'s
 * server, launch Debian's chromium (via playwright-core), and select an activation and wait for the
 * page's own timings (`window.sigpropTimings`, src/web/main.ts).
 */
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { serveStatic } from "../../src/cli/commands/explore.js";

/** SIGPROP_CHROMIUM overrides the path (used to check that a missing browser fails under CI). */
export const CHROMIUM = process.env.SIGPROP_CHROMIUM ?? "/usr/bin/chromium";
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
const DIST = path.resolve("web-dist");

export type Browser = import("playwright-core").Browser;
export type Page = import("playwright-core").Page;

/** One panel's times in ms after a change (src/web/main.ts `PanelTiming`). */
export interface PanelTiming {
  busy?: number;
  first?: number;
  final?: number;
  parts: number;
  results?: [number, number];
}
/** One change's timings (src/web/main.ts `UpdateTiming`). */
export interface Timing {
  id: number;
  panels: Record<string, PanelTiming>;
  done?: number;
  error?: string;
}

/**
 * Build the explorer, serve it on a free port and launch Chromium. `--enable-unsafe-webgpu`: on a
 * machine without a GPU, Debian's chromium then offers WebGPU through SwiftShader (software Vulkan).
 */
export async function startExplorer(): Promise<{ browser: Browser; server: Server; url: string }> {
  const { build } = await import("vite");
  // Vite prints its banner on stdout whatever the log level: send it to stderr, so that stdout stays
  // the benchmark's one JSON object
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    await build({ configFile: path.resolve("vite.config.ts"), logLevel: "warn" });
  } finally {
    process.stdout.write = write;
  }
  const { server, url } = await serveStatic(DIST, 0);
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--enable-unsafe-webgpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return { browser, server, url };
}

/** Close what `startExplorer` opened. */
export async function stopExplorer(x: { browser?: Browser; server?: Server }): Promise<void> {
  await x.browser?.close();
  await new Promise((r) => (x.server ? x.server.close(r) : r(undefined)));
}

/** Wait until every panel is final (the status line reads "ready"). */
export const waitAllDone = (page: Page) =>
  page.waitForFunction(() => document.getElementById("status")?.textContent === "ready", null, {
    timeout: 90_000,
  });

/** Select activation `name` in the menu and wait until every panel is final; the page's own timings. */
export async function visitActivation(page: Page, name: string): Promise<Timing> {
  const before = await page.evaluate(
    () => (window as unknown as { sigpropTimings: Timing[] }).sigpropTimings.at(-1)!.id,
  );
  await page.selectOption("#actName", name);
  await page.waitForFunction(
    (b) => {
      const t = (window as unknown as { sigpropTimings: Timing[] }).sigpropTimings.at(-1)!;
      return t.id > b && (t.done !== undefined || t.error !== undefined);
    },
    before,
    { timeout: 300_000 },
  );
  return page.evaluate(() => (window as unknown as { sigpropTimings: Timing[] }).sigpropTimings.at(-1)!);
}

/** The slowest panel's progress indication of one change (ms). */
export const worstBusy = (t: Timing) => Math.max(...Object.values(t.panels).map((p) => p.busy!));
