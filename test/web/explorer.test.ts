/**
 * The explorer in a real browser (Debian chromium via playwright-core). Skips with a message when
 * /usr/bin/chromium is absent, except in CI (CI=true), where a missing browser fails. Builds web-dist/ with Vite, serves it with `sigprop explore`'s server,
 * and keeps screenshots in test-output/web/. Chromium runs with --enable-unsafe-webgpu: on a machine
 * without a GPU it then offers WebGPU through SwiftShader (software Vulkan shipped with Debian's
 * chromium), so the Monte Carlo overlay is checked on WebGPU and on wasm.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Server } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIVATION_CATALOGUE } from "../../src/theory/index.js";
import {
  computeMain,
  DEFAULT_STATE,
  depthScales,
  PHASE_SB,
  PHASE_SW,
  phaseRow,
  spectrum,
} from "../../src/web/compute.js";
import { stateToQuery, type State } from "../../src/web/state.js";

import {
  CHROMIUM,
  HAVE_CHROMIUM as HAVE,
  startExplorer,
  stopExplorer,
  visitActivation as visit0,
  waitAllDone,
  worstBusy,
  type Browser,
  type Page,
  type Timing,
} from "../support/explorerBrowser.js";

/** In CI (CI set and not "0"/"false") a missing browser is a failure, not a skip. */
const IN_CI = !!process.env.CI && !/^(0|false)$/i.test(process.env.CI);
const OUT = path.resolve("test-output/web");
/** Noiseless tanh off criticality (the page's start until issue 16), for the Monte Carlo checks. */
const TANH: State = { ...DEFAULT_STATE, activation: "tanh", noise: "none", sigmaW2: 1.5, sigmaB2: 0.05 };

if (!HAVE && !IN_CI)
  console.warn(`test/web: SKIPPED — ${CHROMIUM} not found (apt-get install -y chromium to run)`);

it.runIf(IN_CI)("chromium is installed (CI: the browser tests must run, not skip)", () => {
  expect(HAVE, `${CHROMIUM} not found: in CI the browser tests may not skip`).toBe(true);
});

describe.skipIf(!HAVE)("web explorer (chromium)", () => {
  let browser: Browser;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    ({ browser, server, url } = await startExplorer());
    mkdirSync(OUT, { recursive: true });
  });

  afterAll(() => stopExplorer({ browser, server }));

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

  /** Wait until the request after `before` (the data-ready counter) has its main numbers. */
  async function waitUpdated(page: Page, before: number) {
    await page.waitForFunction((b) => Number(document.getElementById("status")?.dataset.ready) > b, before, {
      timeout: 30_000,
    });
  }
  const readyCount = async (page: Page) => Number(await page.getAttribute("#status", "data-ready"));
  const value = (page: Page, id: string) => page.getAttribute(`#${id}`, "data-value");

  /**
   * The page's numbers are the library's. Chromium's and Node's V8 may differ in the last ulp of
   * Math.tanh/exp, which Brent's q* solve carries (observed 2e-16 relative): q*, χ1 are compared to
   * 1e-12 relative; ξ_c, through the c* solve on top (1/|log χ_c| amplifies), to 9 digits; μ2 is exact.
   */
  async function expectNumbers(page: Page, s: State) {
    const ref = computeMain(s).analysis;
    const close = async (id: string, v: number | null, tol: number) => {
      const got = await value(page, id);
      if (v === null) return expect(got, id).toBe("");
      expect(Math.abs(Number(got) - v), id).toBeLessThanOrEqual(tol * Math.abs(v));
    };
    await close("chi1", ref.chi1, 1e-12);
    await close("q_star", ref.qStar, 1e-12);
    await close("xi_c", ref.xiC, 1e-9);
    expect(await value(page, "phase")).toBe(ref.phase ?? "");
    expect(Number(await value(page, "mu2"))).toBe(ref.noise.mu2);
    const verdict = (await value(page, "verdict")) ?? "";
    if (ref.trainableDepth === null) expect(verdict).toBe("");
    else
      expect(verdict).toMatch(s.depth <= ref.trainableDepth ? /\(trainable\)$/ : /expect training to fail$/);
  }

  it("loads without console errors, draws every panel with Vega, and shows the library's numbers", async () => {
    const { page, errors } = await open();
    await expectNumbers(page, DEFAULT_STATE);
    await waitAllDone(page);
    for (const id of ["vmap", "cmap", "dyn", "phaseplot", "scales", "spectrum"]) {
      expect(await page.locator(`#${id} svg.marks`).count(), id).toBe(1);
    }
    expect(await page.locator("#vmap .mark-line").count()).toBeGreaterThan(0);
    expect(await page.textContent("#vmap svg")).toContain("q* = ");
    // the start is ReLU with dropout at its critical point: the form shows it, σ_w² is critical
    expect(await page.inputValue("#actName")).toBe("relu");
    expect(await page.inputValue("#noiseKind")).toBe("dropout");
    expect(await page.inputValue("#noiseKey")).toBe("keep");
    expect(await page.inputValue("#noiseValue")).toBe("0.8");
    expect(Number(await page.inputValue("#sigmaW2"))).toBeCloseTo(1.6, 14);
    expect(Number(await page.getAttribute("#critical", "data-sigma-w2"))).toBeCloseTo(1.6, 14);
    // the phase diagram has its 25 × 25 cells and the EOC (for ReLU a single point, at σ_b² = 0)
    expect(await page.locator("#phaseplot .mark-rect.role-mark path").count()).toBe(
      PHASE_SW.length * PHASE_SB.length,
    );
    expect(await page.textContent("#phaseplot svg")).toContain("EOC");
    // every panel is drawn and none is still marked busy
    expect(await page.locator("section[aria-busy]").count()).toBe(0);
    const sp = spectrum(DEFAULT_STATE);
    if (!sp.ok) throw new Error(sp.reason);
    expect(Math.abs(Number(await value(page, "spec_mean")) / sp.mean - 1)).toBeLessThan(1e-12);
    await page.screenshot({ path: path.join(OUT, "laptop.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("menus compose the spec (α, dropout rate kept as a rate) and the numbers follow the library", async () => {
    const { page, errors } = await open();
    let n = await readyCount(page);
    await page.selectOption("#actName", "leaky_relu");
    await waitUpdated(page, n);
    expect(await page.isVisible("#actAlpha")).toBe(true);
    n = await readyCount(page);
    await page.fill("#actAlpha", "0.2");
    await page.dispatchEvent("#actAlpha", "change");
    await waitUpdated(page, n);
    n = await readyCount(page);
    await page.selectOption("#noiseKind", "dropout");
    await waitUpdated(page, n);
    expect(await page.inputValue("#noiseKey")).toBe("keep");
    expect(await page.inputValue("#noiseValue")).toBe("0.9");
    // switching keep → rate converts the value: the same model stays selected
    n = await readyCount(page);
    await page.selectOption("#noiseKey", "rate");
    await waitUpdated(page, n);
    expect(await page.inputValue("#noiseValue")).toBe("0.1");
    expect(await page.textContent("#noiseValueLabel")).toContain("drop rate");
    const s: State = { ...DEFAULT_STATE, activation: "leaky_relu:alpha=0.2", noise: "dropout:rate=0.1" };
    expect(new URL(page.url()).search).toBe(stateToQuery(s));
    expect(await page.textContent("#cliLine")).toContain("--noise dropout:rate=0.1");
    await expectNumbers(page, s);
    expect(Number(await value(page, "mu2"))).toBeCloseTo(1 / 0.9, 15);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("typing a number updates the displayed number to the library's value", async () => {
    const { page, errors } = await open();
    const n = await readyCount(page);
    await page.fill("#sigmaW2", "2.25");
    await page.press("#sigmaW2", "Enter");
    await page.dispatchEvent("#sigmaW2", "change");
    await waitUpdated(page, n);
    const s = { ...DEFAULT_STATE, sigmaW2: 2.25 };
    await expectNumbers(page, s);
    const chi1 = computeMain(s).analysis.chi1!;
    expect(await page.textContent("#chi1")).toBe(String(Number(chi1.toPrecision(6)))); // as displayed
    expect(page.url()).toContain("sigmaW2=2.25");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("bad input names the parameter, the value and the valid range", async () => {
    const { page } = await open();
    const n = await readyCount(page);
    await page.fill("#sigmaW2", "-1");
    await page.dispatchEvent("#sigmaW2", "change");
    await waitUpdated(page, n);
    const msg = await page.textContent("#error");
    expect(msg).toContain("σ_w²");
    expect(msg).toContain("'-1'");
    expect(msg).toContain("a finite number > 0");
    await page.close();
    // a link with dropout's ambiguous bare value explains keep vs rate instead of guessing
    const { page: p2 } = await open("?activation=relu&noise=dropout%3A0.9");
    const m2 = await p2.textContent("#error");
    expect(m2).toContain("dropout:keep=0.9");
    expect(m2).toContain("dropout:rate=0.9");
    await p2.close();
  });

  it("a link's text that is not valid is kept (error, URL, command line) and the form shows it invalid", async () => {
    // a number that is not one: the message repeats the text, not "NaN"
    const { page, errors } = await open("?sigmaW2=abc");
    expect(await page.textContent("#error")).toMatch(/^invalid σ_w² 'abc'.*a finite number > 0/);
    expect(new URLSearchParams(new URL(page.url()).search).get("sigmaW2")).toBe("abc");
    expect(await page.textContent("#cliLine")).toContain("--sigma-w2 abc");
    expect(await page.getAttribute("#sigmaW2", "aria-invalid")).toBe("true");
    expect(await page.getAttribute("#sigmaB2", "aria-invalid")).toBeNull();
    expect(await page.getAttribute("section[aria-label=numbers]", "data-state")).toBe("invalid");
    // another change keeps the link's text until σ_w² itself is edited
    let n = await readyCount(page);
    await page.fill("#depth", "12");
    await page.dispatchEvent("#depth", "change");
    await waitUpdated(page, n);
    expect(await page.textContent("#error")).toContain("'abc'");
    n = await readyCount(page);
    await page.fill("#sigmaW2", "1.6");
    await page.dispatchEvent("#sigmaW2", "change");
    await waitUpdated(page, n);
    expect(await page.textContent("#error")).toBe("");
    expect(await page.getAttribute("#sigmaW2", "aria-invalid")).toBeNull();
    await expectNumbers(page, { ...DEFAULT_STATE, depth: 12 });
    expect(errors).toEqual([]);
    await page.close();

    // dropout with a bare value: neither keep nor rate is shown as chosen, the value field is empty
    const p2 = await open("?activation=relu&noise=dropout%3A0.9");
    const pg = p2.page;
    expect(await pg.textContent("#error")).toContain("dropout:keep=0.9");
    expect(await pg.inputValue("#noiseKind")).toBe("dropout");
    expect(await pg.$eval("#noiseKey", (e) => (e as HTMLSelectElement).selectedIndex)).toBe(-1);
    expect(await pg.inputValue("#noiseValue")).toBe("");
    for (const id of ["noiseKind", "noiseKey", "noiseValue"])
      expect(await pg.getAttribute(`#${id}`, "aria-invalid"), id).toBe("true");
    expect(await pg.getAttribute("#actName", "aria-invalid")).toBeNull();
    expect(await pg.textContent("#cliLine")).toContain("--noise dropout:0.9");
    await pg.screenshot({ path: path.join(OUT, "laptop-invalid-noise.png") });
    // choosing "keep" resolves it with that key's start value
    n = await readyCount(pg);
    await pg.selectOption("#noiseKey", "keep");
    await waitUpdated(pg, n);
    expect(await pg.inputValue("#noiseValue")).toBe("0.9");
    expect(await pg.textContent("#error")).toBe("");
    expect(new URL(pg.url()).searchParams.get("noise")).toBe("dropout:keep=0.9");
    expect(await pg.getAttribute("#noiseKey", "aria-invalid")).toBeNull();
    expect(p2.errors).toEqual([]);
    await pg.close();
  });

  it("layout at 1400 px and 390 px: menus show their whole choice, long reasons read as paragraphs", async () => {
    // relu with additive noise has no critical point: the reason is long
    const s: State = { ...DEFAULT_STATE, noise: "gauss_add:std=1" };
    for (const viewport of [
      { width: 1400, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const { page, errors } = await open(stateToQuery({ ...s, noise: "dropout:keep=0.8" }), viewport);
      // every choice of the dropout "Parameter" menu fits in the menu (Chromium draws the arrow in the
      // last ~20 px of the box)
      const fit = await page.$eval("#noiseKey", (el) => {
        const sel = el as HTMLSelectElement;
        const cs = getComputedStyle(sel);
        const ctx = document.createElement("canvas").getContext("2d")!;
        ctx.font = `${cs.fontSize} ${cs.fontFamily}`;
        const widest = Math.max(...Array.from(sel.options, (o) => ctx.measureText(o.text).width));
        const inner = sel.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        return { widest, inner };
      });
      expect(fit.widest + 20, JSON.stringify(fit)).toBeLessThanOrEqual(fit.inner);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        viewport.width,
      );
      await page.screenshot({ path: path.join(OUT, `dropout-${viewport.width}.png`) });
      await page.close();

      const p2 = await open(stateToQuery(s), viewport);
      await p2.page.waitForFunction(() =>
        /^none: /.test(document.getElementById("critical")?.textContent ?? ""),
      );
      const box = await p2.page.$eval("#critical", (el) => {
        // lines of text: the distinct tops of the text's line boxes
        const range = document.createRange();
        range.selectNodeContents(el);
        return {
          lines: new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size,
          width: el.getBoundingClientRect().width,
          dl: el.parentElement!.getBoundingClientRect().width,
        };
      });
      // the reason (≈ 330 characters) spans the list's width: a few lines, not a 30-line column
      expect(box.width / box.dl, JSON.stringify(box)).toBeGreaterThan(0.9);
      expect(box.lines, JSON.stringify(box)).toBeLessThanOrEqual(12);
      await waitAllDone(p2.page);
      await p2.page.screenshot({
        path: path.join(OUT, `additive-noise-${viewport.width}.png`),
        fullPage: viewport.width > 1000,
      });
      expect([...errors, ...p2.errors]).toEqual([]);
      await p2.page.close();
    }
  });

  it(
    "every catalogue activation: each panel shows progress before its results, slow parts stream (latency: bench/explorer.ts)",
    { timeout: 900_000 },
    async () => {
      // The 100 ms latency goal is measured by `SIGPROP_BENCH=explorer npm run bench` (medians, against
      // Node's time for the same numbers), not asserted here: a timed assertion fails on a loaded machine.
      const { page, errors } = await open();
      await waitAllDone(page);
      // gelu's grid is the slow one (≈ 3 s unloaded): it must stream
      expect(ACTIVATION_CATALOGUE.some((a) => a.name === "gelu")).toBe(true);
      const visit = (name: string) => visit0(page, name);
      const report: Record<string, Timing> = {};
      for (const a of ACTIVATION_CATALOGUE) {
        report[a.name] = await visit(a.name);
        expect(report[a.name].error, a.name).toBeUndefined();
      }
      const ms = (x: number | undefined) => (x === undefined ? "-" : String(Math.round(x)));
      const lines = Object.entries(report).map(
        ([name, t]) =>
          `${name.padEnd(13)} busy ${ms(worstBusy(t)).padStart(4)} | ` +
          Object.entries(t.panels)
            .map(([k, p]) => `${k} ${ms(p.first)}→${ms(p.final)}${p.parts ? ` (${p.parts} parts)` : ""}`)
            .join(", "),
      );
      console.log(`update times in ms after the change (CPU load: see uptime)\n${lines.join("\n")}`);
      writeFileSync(path.join(OUT, "update-timings.json"), JSON.stringify(report, null, 2));
      expect(report.gelu.panels.phaseplot.parts).toBeGreaterThanOrEqual(1);
      expect(report.gelu.panels.scales.parts).toBeGreaterThanOrEqual(1);
      for (const [name, t] of Object.entries(report)) {
        for (const [panel, p] of Object.entries(t.panels)) {
          // the progress indication comes first, then the first content, then the final drawing
          expect(p.busy, `${name} ${panel}`).toBeDefined();
          expect(p.first, `${name} ${panel}`).toBeDefined();
          expect(p.busy! <= p.first! && p.first! <= p.final!, `${name} ${panel}: ${JSON.stringify(p)}`).toBe(
            true,
          );
        }
        // a panel whose results took long to come showed partial results on the way (the phase
        // diagram by rows, coarse to fine; the depth scales by points), with a progress bar. Over
        // shorter spans a busy main thread (Vega drawing other panels) may coalesce them into one
        // drawing; 2 s is far longer than one drawing takes even on the loaded 2-core VM.
        for (const panel of ["phaseplot", "scales"]) {
          const p = t.panels[panel];
          if (p.results && p.results[1] - p.results[0] > 2000)
            expect(p.parts, `${name} ${panel} streams: ${JSON.stringify(p)}`).toBeGreaterThan(0);
        }
      }
      // the streamed results are the library's: a finished grid and depth-scale curve against Node
      const s = { ...DEFAULT_STATE, activation: "tanh" };
      await visit("tanh");
      const grid = JSON.parse((await page.getAttribute("#phaseplot", "data-grid"))!) as (number | null)[][];
      PHASE_SB.forEach((_, i) =>
        phaseRow(s, i).forEach((v, j) =>
          v === null
            ? expect(grid[i][j]).toBeNull()
            : expect(Math.abs(grid[i][j]! - v)).toBeLessThanOrEqual(1e-12 * Math.abs(v)),
        ),
      );
      const curve = JSON.parse((await page.getAttribute("#scales", "data-curve"))!);
      const ref = depthScales(s);
      expect(curve.sigmaW2).toEqual(ref.sigmaW2);
      ref.xiQ.forEach((v, k) =>
        v === null ? expect(curve.xiQ[k]).toBeNull() : expect(curve.xiQ[k] / v).toBeCloseTo(1, 9),
      );
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it("a shared URL restores the state (phone viewport, no sideways scrolling)", async () => {
    const s: State = {
      activation: "relu",
      noise: "dropout:keep=0.9",
      sigmaW2: 2.2222222222222223,
      sigmaB2: 0,
      width: 300,
      depth: 20,
      weights: "orthogonal",
    };
    const { page, errors } = await open(stateToQuery(s), { width: 390, height: 844 });
    expect(await page.inputValue("#actName")).toBe("relu");
    expect(await page.inputValue("#noiseKind")).toBe("dropout");
    expect(await page.inputValue("#noiseKey")).toBe("keep");
    expect(await page.inputValue("#noiseValue")).toBe("0.9");
    expect(await page.inputValue("#depth")).toBe("20");
    expect(await page.inputValue("#weights")).toBe("orthogonal");
    await expectNumbers(page, s);
    await waitAllDone(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // the command line wraps only between flags: each "--flag value" stays on one line
    const flags = await page.$$eval("#cliLine .flag", (els) =>
      els.map((e) => ({ text: e.textContent, lines: e.getClientRects().length })),
    );
    expect(flags.map((f) => f.text)).toEqual([
      "sigprop analyze",
      "--activation relu",
      "--noise dropout:keep=0.9",
      `--sigma-w2 ${s.sigmaW2}`,
      "--sigma-b2 0",
    ]);
    for (const f of flags) expect(f.lines, f.text!).toBe(1);
    await page.screenshot({ path: path.join(OUT, "phone.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the critical button sets σ_w² = 2p for ReLU with dropout, and the spectrum mean is then 1", async () => {
    const s: State = {
      ...DEFAULT_STATE,
      activation: "relu",
      noise: "dropout:keep=0.8",
      sigmaB2: 0,
      depth: 10,
    };
    const { page, errors } = await open(stateToQuery(s));
    const n = await readyCount(page);
    await page.click("#useCritical");
    await waitUpdated(page, n);
    expect(Number(await page.inputValue("#sigmaW2"))).toBeCloseTo(1.6, 14);
    const crit = { ...s, sigmaW2: Number(await page.inputValue("#sigmaW2")) };
    await expectNumbers(page, crit);
    await page.waitForFunction(() => document.getElementById("spec_mean")?.dataset.value !== "");
    await waitAllDone(page);
    // the library's value, and independently: at criticality E[λ] = (σ_w² μ2 E[φ′²])^L = 1, and for
    // gaussian weights Var λ = 2L/p (μ2/μ1² of D² = 2/p for ReLU with dropout)
    const sp = spectrum(crit);
    if (!sp.ok) throw new Error(sp.reason);
    expect(Number(await value(page, "spec_mean"))).toBe(sp.mean); // ReLU: no transcendental on the way
    expect(Number(await value(page, "spec_mean"))).toBeCloseTo(1, 12);
    expect(Number(await value(page, "spec_variance")) / ((2 * 10) / 0.8)).toBeCloseTo(1, 10);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("phase diagram: a click on a cell moves the point there; arrow keys step by one cell", async () => {
    const { page, errors } = await open();
    await waitAllDone(page);
    const [i, j] = [5, 13]; // σ_b² = 0.1, σ_w² = 2.24
    const cell = page.locator("#phaseplot .mark-rect.role-mark path").nth(i * PHASE_SW.length + j);
    await cell.scrollIntoViewIfNeeded(); // below the fold at 1280 × 800
    const box = (await cell.boundingBox())!;
    let n = await readyCount(page);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await waitUpdated(page, n);
    // a click snaps to a quarter cell: the centre of cell (i, j), ± a pixel, is exactly its grid value
    expect(Number(await page.inputValue("#sigmaW2"))).toBeCloseTo(PHASE_SW[j], 12);
    expect(Number(await page.inputValue("#sigmaB2"))).toBeCloseTo(PHASE_SB[i], 12);
    await expectNumbers(page, {
      ...DEFAULT_STATE,
      sigmaW2: Number(await page.inputValue("#sigmaW2")),
      sigmaB2: Number(await page.inputValue("#sigmaB2")),
    });
    // keyboard route: focus the diagram (Tab order), ArrowRight = one σ_w² cell, ArrowUp = one σ_b² cell
    await page.focus("#phaseplot");
    n = await readyCount(page);
    await page.keyboard.press("ArrowRight");
    await waitUpdated(page, n);
    n = await readyCount(page);
    await page.keyboard.press("ArrowUp");
    await waitUpdated(page, n);
    expect(Number(await page.inputValue("#sigmaW2"))).toBeCloseTo(PHASE_SW[j + 1], 12);
    expect(Number(await page.inputValue("#sigmaB2"))).toBeCloseTo(PHASE_SB[i + 1], 12);
    const s = {
      ...DEFAULT_STATE,
      sigmaW2: Number(await page.inputValue("#sigmaW2")),
      sigmaB2: Number(await page.inputValue("#sigmaB2")),
    };
    await expectNumbers(page, s);
    expect(await page.getAttribute("#phaseplot", "aria-label")).toContain(`σ_w² = ${s.sigmaW2}`);
    await page.screenshot({ path: path.join(OUT, "laptop-phase-keyboard.png") });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("has no WCAG 2 A/AA violations by axe-core (laptop and phone, with the noise parameter rows shown)", async () => {
    const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
    const q = stateToQuery({
      ...DEFAULT_STATE,
      activation: "leaky_relu:alpha=0.2",
      noise: "dropout:rate=0.1",
    });
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ]) {
      const { page, errors } = await open(q, viewport);
      await waitAllDone(page);
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (...a: unknown[]) => Promise<AxeResult> } }).axe;
        type AxeResult = { violations: { id: string; help: string; nodes: { target: string[] }[] }[] };
        const r = await axe.run(document, { runOnly: ["wcag2a", "wcag2aa"] });
        return r.violations.map(
          (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
        );
      });
      expect(violations, `viewport ${viewport.width}`).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  /** Run the Monte Carlo overlay and return the numbers behind the dots. */
  async function simulate(page: Page, networks: number) {
    await page.fill("#networks", String(networks));
    await page.click("#mcRun");
    await page.waitForFunction(
      () => /^(done|simulation failed)/.test(document.getElementById("mcStatus")?.textContent ?? ""),
      null,
      { timeout: 120_000 },
    );
    expect(await page.textContent("#mcStatus")).toMatch(/^done on /);
    return JSON.parse((await page.getAttribute("#dyn", "data-mc"))!) as {
      device: string;
      variance: { mean: number[]; std: number[] };
      correlation: { mean: number[]; std: number[] };
    };
  }

  it("Monte Carlo overlay: WebGPU and wasm agree, and both land on the theory", async () => {
    const s: State = { ...TANH, width: 256, depth: 8 };
    const networks = 8;
    const gpu = await open(stateToQuery(s));
    const onGpu = await simulate(gpu.page, networks);
    expect(onGpu.device).toBe("webgpu");
    // theory lines + dots (mean over networks) for q and c at each of the depth + 1 layers
    expect(await gpu.page.locator("#dyn .mark-symbol.role-mark path").count()).toBe(2 * (s.depth + 1));
    await gpu.page.screenshot({ path: path.join(OUT, "laptop-montecarlo.png"), fullPage: true });
    expect(gpu.errors).toEqual([]);
    await gpu.page.close();

    const cpu = await open(stateToQuery(s) + "&device=wasm");
    const onWasm = await simulate(cpu.page, networks);
    expect(onWasm.device).toBe("wasm");
    expect(cpu.errors).toEqual([]);
    await cpu.page.close();

    // Same seed, same float32 arithmetic up to summation order: agreement to float32 accumulation error.
    for (const k of ["variance", "correlation"] as const) {
      onGpu[k].mean.forEach((v, l) =>
        expect(Math.abs(v - onWasm[k].mean[l])).toBeLessThan(1e-4 * Math.abs(v) + 1e-6),
      );
    }
    // Theory: each layer's mean over networks within K standard errors plus the O(1/N) finite-width
    // bias, allowed 2/N (relative for q). Measured for this network (tanh σ_w² = 1.5, σ_b² = 0.05, N = 256,
    // L = 8, q⁰ = 1, c⁰ = 0.5; 4000 numpy networks, Gaussian weights): N·bias of q/q* is within −1.06 ± 0.44
    // .. +0.52 ± 0.44 and of c within −0.43 ± 0.26 .. +0.09 ± 0.31 over the 8 layers, so 2/N covers it; it is
    // immaterial next to K·se (the relative sd of q̂ over networks is 0.107, K·se = 0.22 q ≫ 2/N = 0.008 q).
    // With the sample std of 8 networks, (mean − theory)/se
    // is Student-t with 7 degrees of freedom, heavier-tailed than a normal: P(|t₇| > 4) = 5.2e-3 per entry,
    // 8 % over the 16 entries (the old "4 SE" was a normal-theory habit). K = t₇ quantile at a 1 %
    // family-wise false-alarm rate, Bonferroni over 16 entries: scipy.stats.t.isf(0.01/32, 7) = 5.859.
    // What it can see: K·se ≈ 0.22 q with 8 networks, so a q error is seen for certain only above
    // 2 × 0.22 = 44 % of q (null deviation up to one tolerance): a 30 % σ_w² error (q* 0.42 → 0.69, +64 %)
    // is, a few per cent is not. 64 networks would give K = 3.60 (t₆₃), K·se ≈ 0.048 q, errors above ≈ 10 %
    // of q; not done (8× the browser Monte Carlo time).
    const K = 5.859;
    const th = computeMain(s).traj;
    for (let l = 1; l <= s.depth; l++) {
      const se = onWasm.variance.std[l] / Math.sqrt(networks);
      expect(Math.abs(onWasm.variance.mean[l] - th.q[l])).toBeLessThan(K * se + (2 / s.width) * th.q[l]);
      const sc = onWasm.correlation.std[l] / Math.sqrt(networks);
      expect(Math.abs(onWasm.correlation.mean[l] - th.c[l]!)).toBeLessThan(K * sc + 2 / s.width);
    }
  });

  it("Monte Carlo cancel stops the run and leaves no dots", async () => {
    const s: State = { ...TANH, width: 2048, depth: 200 };
    const { page, errors } = await open(stateToQuery(s) + "&device=wasm");
    await page.fill("#networks", "64");
    await page.click("#mcRun");
    await page.waitForFunction(() =>
      /^simulating/.test(document.getElementById("mcStatus")?.textContent ?? ""),
    );
    await page.click("#mcCancel");
    expect(await page.textContent("#mcStatus")).toBe("cancelled");
    expect(await page.isEnabled("#mcRun")).toBe(true);
    expect(await page.isDisabled("#mcCancel")).toBe(true);
    expect(await page.locator("#dyn .mark-symbol.role-mark path").count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
