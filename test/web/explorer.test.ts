/**
 * The explorer in a real browser (Debian chromium via playwright-core). Skips with a message when
 * /usr/bin/chromium is absent. Builds web-dist/ with Vite, serves it with `sigprop explore`'s server,
 * and keeps screenshots in test-output/web/.
 */
import { existsSync, mkdirSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic } from "../../src/cli/commands/explore.js";
import { computeMain, DEFAULT_STATE } from "../../src/web/compute.js";

const CHROMIUM = "/usr/bin/chromium";
const HAVE = existsSync(CHROMIUM);
const OUT = path.resolve("test-output/web");
const DIST = path.resolve("web-dist");

if (!HAVE) console.warn(`test/web: SKIPPED — ${CHROMIUM} not found (apt-get install -y chromium to run)`);

type Browser = import("playwright-core").Browser;
type Page = import("playwright-core").Page;

describe.skipIf(!HAVE)("web explorer (chromium)", () => {
  let browser: Browser;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const { build } = await import("vite");
    await build({ configFile: path.resolve("vite.config.ts"), logLevel: "warn" });
    ({ server, url } = await serveStatic(DIST, 0));
    mkdirSync(OUT, { recursive: true });
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  async function open(query = "", viewport = { width: 1280, height: 800 }) {
    const page = await browser.newPage({ viewport });
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url + query);
    await page.waitForSelector("#status[data-ready]", { timeout: 30_000 });
    return { page, errors };
  }

  async function value(page: Page, id: string) {
    return page.getAttribute(`#${id}`, "data-value");
  }

  it("loads without console errors and shows the library's numbers", async () => {
    const { page, errors } = await open();
    const ref = computeMain(DEFAULT_STATE).analysis;
    expect(Number(await value(page, "chi1"))).toBe(ref.chi1);
    expect(Number(await value(page, "q_star"))).toBe(ref.q_star);
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready", null, {
      timeout: 60_000,
    });
    await page.screenshot({ path: path.join(OUT, "laptop.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("changing a control updates displayed numbers to the library's value", async () => {
    const { page, errors } = await open();
    await page.fill("#sigmaW2", "2.25");
    await page.press("#sigmaW2", "Enter");
    await page.dispatchEvent("#sigmaW2", "change");
    await page.waitForFunction(() => Number(document.getElementById("status")?.dataset.ready) >= 2);
    const ref = computeMain({ ...DEFAULT_STATE, sigmaW2: 2.25 }).analysis;
    expect(Number(await value(page, "chi1"))).toBe(ref.chi1);
    expect(await page.textContent("#chi1")).toBe(String(Number(ref.chi1!.toPrecision(6))));
    // ξ_c goes through the c* solve, whose last bits may differ between Chromium's and Node's V8 math.
    expect(Number(await value(page, "xi_c"))).toBeCloseTo(ref.xi_c!, 9);
    expect(page.url()).toContain("sigmaW2=2.25");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a shared URL restores the state", async () => {
    const q =
      "?activation=relu&noise=dropout%3Akeep%3D0.9&sigmaW2=2.2222222222222223&sigmaB2=0&width=300&depth=20";
    const { page, errors } = await open(q, { width: 390, height: 844 });
    expect(await page.inputValue("#activation")).toBe("relu");
    expect(await page.inputValue("#noise")).toBe("dropout:keep=0.9");
    expect(await page.inputValue("#depth")).toBe("20");
    const st = {
      activation: "relu",
      noise: "dropout:keep=0.9",
      sigmaW2: 2.2222222222222223,
      sigmaB2: 0,
      width: 300,
      depth: 20,
    };
    const ref = computeMain(st);
    expect(Number(await value(page, "chi1"))).toBe(ref.analysis.chi1);
    expect(await value(page, "phase")).toBe(ref.analysis.phase);
    await page.screenshot({ path: path.join(OUT, "phone.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("runs the Monte Carlo overlay in the browser and draws simulation dots", async () => {
    const { page, errors } = await open(
      "?activation=tanh&noise=none&sigmaW2=1.5&sigmaB2=0.05&width=64&depth=8",
    );
    await page.fill("#networks", "2");
    await page.click("#mcRun");
    await page.waitForFunction(
      () => /^done|failed/.test(document.getElementById("mcStatus")?.textContent ?? ""),
      null,
      {
        timeout: 90_000,
      },
    );
    expect(await page.textContent("#mcStatus")).toMatch(/^done on (webgpu|wasm)/);
    expect(await page.locator("#dyn circle").count()).toBeGreaterThanOrEqual(18);
    await page.screenshot({ path: path.join(OUT, "laptop-montecarlo.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
