/**
 * The HTML report in a real browser (Debian chromium via playwright-core, as test/web does): a report of
 * Figs 2–5 built with the fake simulator is opened at a desktop width (1400 px) and a phone width (390 px);
 * no chart text may render below 10 px, the page may not scroll sideways (a panel wider than the phone
 * scrolls inside its own box), and the full-figure SVG/PNG stay within a 1400 px page. Screenshots are kept
 * in test-output/report/ (not committed). Skips with a message when /usr/bin/chromium is absent, except
 * in CI.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path, { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Scale } from "../../src/report/figure.js";
import { reproduce } from "../../src/report/reproduce.js";
import { fakeSimulator } from "./fakeSim.js";

const CHROMIUM = process.env.SIGPROP_CHROMIUM ?? "/usr/bin/chromium";
const HAVE = existsSync(CHROMIUM);
const IN_CI = !!process.env.CI && !/^(0|false)$/i.test(process.env.CI);
const OUT = path.resolve("test-output/report");
const FIGS = ["fig2", "fig3", "fig4", "fig5"];
/** the smallest text a reader should have to read, in CSS px */
const MIN_TEXT_PX = 10;

if (!HAVE && !IN_CI) console.warn(`test/report/browser: SKIPPED — ${CHROMIUM} not found`);

it.runIf(IN_CI)("chromium is installed (CI: the report browser test must run, not skip)", () => {
  expect(HAVE).toBe(true);
});

/** Smallest font-size (px) of any text in an SVG file. */
function minFont(svgPath: string): number {
  const sizes = [...readFileSync(svgPath, "utf8").matchAll(/font-size="([0-9.]+)px"/g)].map((m) =>
    Number(m[1]),
  );
  return Math.min(...sizes);
}

/** Root width of an SVG file. */
function svgWidth(svgPath: string): number {
  return Number(/<svg[^>]*?\swidth="([0-9.]+)"/.exec(readFileSync(svgPath, "utf8"))![1]);
}

type Browser = import("playwright-core").Browser;

describe.skipIf(!HAVE)("report in chromium", () => {
  let browser: Browser;
  let dir: string;
  const TINY: Scale = { name: "tiny", width: 8, networks: 3, weights: "gaussian", pairs: 1 };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sigprop-report-browser-"));
    await reproduce({
      out: dir,
      figures: FIGS,
      scale: TINY,
      seed: 3,
      simulator: async () => fakeSimulator(),
    });
    mkdirSync(OUT, { recursive: true });
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--allow-file-access-from-files"],
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("whole figures fit a 1400 px page at full size (so the 2× PNG shown at page width keeps ≥ 11 px text)", () => {
    for (const f of FIGS) {
      expect(svgWidth(join(dir, f, `${f}.svg`)), f).toBeLessThanOrEqual(1400);
      expect(minFont(join(dir, f, `${f}.svg`)), f).toBeGreaterThanOrEqual(11);
    }
  });

  it.each([
    ["desktop", 1400, 900],
    ["phone", 390, 844],
  ])(
    "%s (%i px): no chart text below 10 px and no sideways page scroll",
    async (name, width, height) => {
      const page = await browser.newPage({ viewport: { width, height } });
      try {
        await page.goto(pathToFileURL(join(dir, "index.html")).href);
        await page.waitForLoadState("load");
        const imgs = await page.$$eval(".panels img", (els) =>
          (els as HTMLImageElement[]).map((e) => ({
            src: e.getAttribute("src") as string,
            shown: e.getBoundingClientRect().width,
            natural: e.naturalWidth,
          })),
        );
        expect(imgs.length).toBeGreaterThanOrEqual(FIGS.length * 2);
        const smallest = imgs.map((im) => {
          expect(im.natural, `${im.src} did not load`).toBeGreaterThan(0);
          return { src: im.src, px: (minFont(join(dir, im.src)) * im.shown) / svgWidth(join(dir, im.src)) };
        });
        const worst = smallest.reduce((a, b) => (b.px < a.px ? b : a));
        expect(worst.px, `smallest text in ${worst.src} at ${width} px`).toBeGreaterThanOrEqual(
          MIN_TEXT_PX - 0.05,
        );
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await page.screenshot({ path: join(OUT, `report-${name}-${width}.png`), fullPage: true });
        // one figure close up: Fig 5 as a reader sees it
        const fig5 = await page.$("#fig5");
        await fig5?.screenshot({ path: join(OUT, `fig5-${name}-${width}.png`) });
      } finally {
        await page.close();
      }
    },
    120_000,
  );
});
