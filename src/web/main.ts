/**
 * The explorer page: menus ↔ state ↔ URL, theory in Web Workers (worker.ts; one per lane, see
 * "scheduling" below), Monte Carlo in another (sim.worker.ts), Vega-Lite panels (charts.ts, drawn by
 * render.ts).
 */
import {
  ACTIVATION_CATALOGUE,
  NOISE_KEYS,
  parseActivation,
  parseNoise,
  phaseSlope,
  type EocCurvePoint,
  type NoiseKind,
} from "../theory/index.js";
import { InputError } from "../theory/errors.js";
import { parseSpec } from "../theory/spec.js";
import {
  correlationMapSpec,
  depthScaleSpec,
  dynamicsSpec,
  phaseSpec,
  spectrumSpec,
  varianceMapSpec,
  type McResult,
} from "./charts.js";
import { depthScaleGrid, PHASE_SB, PHASE_SW, type DepthScales, type Main, type Spectrum } from "./compute.js";
import { draw as drawNow, heatmapFraction } from "./render.js";
import {
  activationParts,
  activationSpec,
  noiseParts,
  noiseSpec,
  numberText,
  NOISE_DEFAULTS,
  NOISE_KEY_LABELS,
  readNumber,
  stateError,
  stateFromQuery,
  stateToQuery,
  type NumberKey,
  type State,
} from "./state.js";
import type { Request, Response } from "./worker.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const input = (id: string) => $<HTMLInputElement>(id);
const select = (id: string) => $<HTMLSelectElement>(id);
const NOISE_KINDS: NoiseKind[] = Object.keys(NOISE_KEYS) as NoiseKind[];
const NUMBER_IDS = ["sigmaW2", "sigmaB2", "width", "depth"] as const;
/** The noise key the form showed before the latest change ("" when none was chosen). */
let shownNoiseKey = "";

/** How the phase names what decided it (analyze's `decided_by`). */
const DECIDED_BY_TEXT = { chi1: "χ₁", chi_grad: "χ_grad", q_star: "q*: none exists" } as const;

/** Show a number (6 significant digits; the exact value in data-value for tests and copy). */
function show(id: string, v: number | string | null) {
  const el = $(id);
  if (typeof v === "number") {
    el.dataset.value = String(v);
    el.textContent = Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : String(v);
  } else {
    el.dataset.value = v ?? "";
    el.textContent = v ?? "—";
  }
}

// ---- menus ----
function fillMenus() {
  for (const a of ACTIVATION_CATALOGUE) select("actName").add(new Option(a.name, a.name));
  for (const k of NOISE_KINDS) select("noiseKind").add(new Option(k, k));
}

/** Show the parameter rows the chosen activation and noise take. */
function syncParamRows() {
  shownNoiseKey = select("noiseKey").value;
  const act = ACTIVATION_CATALOGUE.find((a) => a.name === select("actName").value);
  $("actAlphaRow").hidden = !act?.keys.includes("alpha");
  const kind = select("noiseKind").value as NoiseKind;
  const keys = NOISE_KEYS[kind];
  const keySel = select("noiseKey");
  const current = keySel.value;
  if (Array.from(keySel.options, (o) => o.value).join() !== keys.join()) {
    keySel.replaceChildren(...keys.map((k) => new Option(NOISE_KEY_LABELS[k] ?? k, k)));
    if (keys.includes(current)) keySel.value = current;
  }
  $("noiseKeyRow").hidden = keys.length < 2;
  $("noiseValueRow").hidden = keys.length === 0;
  $("noiseValueLabel").textContent = NOISE_KEY_LABELS[keySel.value] ?? "value";
}

/**
 * Texts from a link that the form cannot show as they are (a spec the library refuses, such as
 * `dropout:0.9`, or a number such as `abc`, which a number field cannot hold). Until the user edits
 * that part of the form, the state keeps the text as written, so the error, the URL and the command
 * line keep saying what the link said; the form shows the part as invalid (aria-invalid, no valid
 * value selected), never a valid-looking value the model does not use.
 */
const linkText: Partial<Record<"activation" | "noise" | NumberKey, string>> = {};
/** The controls of each part of the state (marked invalid together). */
const CONTROLS_OF: Record<string, readonly string[]> = {
  activation: ["actName", "actAlpha"],
  noise: ["noiseKind", "noiseKey", "noiseValue"],
  sigmaW2: ["sigmaW2"],
  sigmaB2: ["sigmaB2"],
  width: ["width"],
  depth: ["depth"],
  weights: ["weights"],
};
/** The state part an InputError names (the library's parameter names). */
const PART_OF: Record<string, string> = {
  activation: "activation",
  noise: "noise",
  "σ_w²": "sigmaW2",
  "σ_b²": "sigmaB2",
  width: "width",
  depth: "depth",
  weights: "weights",
};

/** Mark the controls of the part `err` names as invalid (all others valid), tied to the message. */
function markInvalid(err: Error | null) {
  const part = err instanceof InputError ? PART_OF[err.parameter] : undefined;
  for (const [p, ids] of Object.entries(CONTROLS_OF)) {
    for (const id of ids) {
      if (p === part) {
        $(id).setAttribute("aria-invalid", "true");
        $(id).setAttribute("aria-errormessage", "error");
      } else {
        $(id).removeAttribute("aria-invalid");
        $(id).removeAttribute("aria-errormessage");
      }
    }
  }
}

function writeControls(s: State) {
  for (const k of Object.keys(linkText) as (keyof typeof linkText)[]) delete linkText[k];
  let actOk = true;
  try {
    parseActivation(s.activation);
  } catch {
    actOk = false;
    linkText.activation = s.activation;
  }
  try {
    const a = activationParts(s.activation);
    select("actName").value = a.name; // an unknown name selects nothing
    if (a.alpha !== null) input("actAlpha").value = actOk ? String(a.alpha) : "";
  } catch {
    select("actName").selectedIndex = -1;
  }
  let noiseOk = true;
  try {
    parseNoise(s.noise);
  } catch {
    noiseOk = false;
    linkText.noise = s.noise;
  }
  try {
    const n = noiseParts(s.noise);
    select("noiseKind").value = n.kind;
    syncParamRows();
    if (n.key !== null) select("noiseKey").value = n.key;
    if (n.value !== null) input("noiseValue").value = String(n.value);
    if (!noiseOk) {
      // e.g. `dropout:0.9`: neither keep nor rate was named, so neither is shown as chosen
      const named = n.key !== null && n.key in parseSpec("noise", s.noise, "").params;
      if (!named) {
        select("noiseKey").selectedIndex = -1;
        shownNoiseKey = "";
        input("noiseValue").value = "";
        $("noiseValueLabel").textContent = "value (not valid: see the message below)";
      }
    }
  } catch {
    select("noiseKind").selectedIndex = -1;
  }
  if (noiseOk) syncParamRows();
  for (const k of NUMBER_IDS) {
    input(k).value = numberText(s, k); // a number field shows "" for a text that is not a number
    if (s.raw?.[k] !== undefined) linkText[k] = s.raw[k];
  }
  select("weights").value = s.weights;
}

function readControls(): State {
  const actName = select("actName").value;
  const hasAlpha = ACTIVATION_CATALOGUE.find((a) => a.name === actName)?.keys.includes("alpha");
  const kind = select("noiseKind").value as NoiseKind;
  const key = NOISE_KEYS[kind]?.length ? select("noiseKey").value : null;
  const num = (id: string) => readNumber(input(id).value);
  const s: State = {
    activation:
      linkText.activation ??
      activationSpec({ name: actName, alpha: hasAlpha ? num("actAlpha").value : null }),
    noise: linkText.noise ?? noiseSpec({ kind, key, value: key === null ? null : num("noiseValue").value }),
    sigmaW2: NaN,
    sigmaB2: NaN,
    width: NaN,
    depth: NaN,
    weights: select("weights").value as State["weights"],
  };
  for (const k of NUMBER_IDS) {
    const n = linkText[k] !== undefined ? readNumber(linkText[k]) : num(k);
    s[k] = n.value;
    if (n.raw !== undefined) s.raw = { ...s.raw, [k]: n.raw };
  }
  return s;
}

// ---- state and rendering ----
let state = stateFromQuery(location.search);
/** `?device=wasm|webgpu` pins the Monte Carlo device (default: WebGPU when the browser has it). */
const DEVICE = new URLSearchParams(location.search).get("device");
let reqId = 0;
let phaseKey = "";
let grid: (number | null)[][] = PHASE_SB.map(() => PHASE_SW.map(() => null));
let eocPts: EocCurvePoint[] = [];
let lastMain: Main | null = null;
let mc: { result: McResult; key: string } | null = null;
const simKey = (s: State) =>
  JSON.stringify([s.activation, s.noise, s.sigmaW2, s.sigmaB2, s.width, s.depth, s.weights]);

/** The numbers panel: needs only the analysis and the critical point (renderQuick passes none yet). */
function renderNumbers(m: Pick<Main, "analysis" | "critical">) {
  const a = m.analysis;
  show("mu2", a.noise.mu2);
  // element id → Analysis field
  const fields = {
    q_star: "qStar",
    c_star: "cStar",
    chi1: "chi1",
    chi_c: "chiC",
    xi_q: "xiQ",
    xi_c: "xiC",
    trainable_depth: "trainableDepth",
  } as const;
  for (const [id, k] of Object.entries(fields)) show(id, a[k]);
  show("phase", a.phase);
  // the same rule as `sigprop analyze` (critical.ts classifyPhase), naming the slope that decided it
  $("phase").textContent = `${a.phase} (by ${DECIDED_BY_TEXT[a.decidedBy]})`;
  $("phase").title = a.phaseReason;
  // as the CLI: ∞ where the slope exists but does not decay (|χ| ≥ 1), — where it is undefined
  for (const [id, xi, chi] of [
    ["xi_q", "xiQ", "chiQ"],
    ["xi_c", "xiC", "chiC"],
    ["trainable_depth", "trainableDepth", "chiC"],
  ] as const)
    if (a[xi] === null && a[chi] !== null) $(id).textContent = "∞";
  // Schoenholz et al. 2017: networks train when L ≲ 6ξ_c
  const td = a.trainableDepth;
  show(
    "verdict",
    td === null
      ? null
      : state.depth <= td
        ? `L = ${state.depth} ≤ 6ξ_c: signals reach the output (trainable)`
        : `L = ${state.depth} > 6ξ_c = ${Number(td.toPrecision(3))}: expect training to fail`,
  );
  const c = m.critical;
  const el = $("critical");
  if (c.exists && "sigmaW2" in c && c.sigmaW2 !== null) {
    show("critical", `σ_w² = ${Number(c.sigmaW2.toPrecision(6))} at σ_b² = ${c.sigmaB2}`);
    el.dataset.sigmaW2 = String(c.sigmaW2);
  } else {
    show("critical", `none: ${c.reason ?? "no critical point"}`);
    delete el.dataset.sigmaW2;
  }
  $<HTMLButtonElement>("useCritical").disabled = el.dataset.sigmaW2 === undefined;
}

function drawDynamics() {
  if (!lastMain) return;
  const sim = mc && mc.key === simKey(state) ? mc.result : null;
  void draw($("dyn"), dynamicsSpec(lastMain, sim), "variance and correlation over depth");
}

function drawPhase() {
  // the state's own slope: with streaming, rows of a new noise are drawn before its main panels arrive
  const slope = phaseSlope(parseNoise(state.noise));
  void draw(
    $("phaseplot"),
    phaseSpec(grid, eocPts, state, slope),
    `phase diagram of ${slope === "chi_grad" ? "χ_grad" : "χ1"} with the edge of chaos`,
  );
  $("phaseplot").setAttribute(
    "aria-label",
    `phase diagram; current point σ_w² = ${state.sigmaW2}, σ_b² = ${state.sigmaB2}`,
  );
}

function renderMain(m: Main) {
  lastMain = m;
  renderNumbers(m);
  void draw($("vmap"), varianceMapSpec(m), "variance map");
  void draw($("cmap"), correlationMapSpec(m), "correlation map");
  drawDynamics();
  drawPhase();
}

function renderSpectrum(sp: Spectrum) {
  if (!sp.ok) {
    for (const k of ["spec_mean", "spec_variance", "spec_edge"]) show(k, null);
    $("spectrum").replaceChildren();
    $("specNote").textContent = sp.reason;
    return;
  }
  show("spec_mean", sp.mean);
  show("spec_variance", sp.variance);
  show("spec_edge", sp.edge);
  $("specNote").textContent = sp.notes.join("; ");
  if (sp.density) void draw($("spectrum"), spectrumSpec(sp), "density of the Jacobian spectrum");
  else $("spectrum").replaceChildren();
}

function setStatus(text: string, ready?: boolean) {
  $("status").textContent = text;
  if (ready) $("status").dataset.ready = String(reqId);
}

// ---- scheduling ----
// Each change (1) shows at once, in the same task, that every panel is being updated (aria-busy, a
// dimmed chart, progress bars), the URL, the command line and any input error; (2) asks three kinds of
// worker ("lanes") for the theory: `state` (numbers q*-only first, then the maps, dynamics, critical
// point and spectrum), `scales` (the depth-scale curve, point by point, coarse to fine) and `phase` (the
// phase-diagram rows, coarse to fine, on up to 4 workers). A lane still busy with an outdated request is
// terminated and restarted, so a slow activation never holds up the next change. Finished depth-scale
// points and phase rows are kept per (activation, noise[, σ_b²]): going back to a model draws at once.

/** The panels, by the id of their chart (or number list) element. */
const PANELS = ["numbers", "vmap", "cmap", "dyn", "phaseplot", "scales", "spectrum"] as const;
type Panel = (typeof PANELS)[number];
const sectionOf = (p: Panel) => $(p).closest("section")!;

/**
 * Per change: milliseconds from the change to the moment each panel showed it — `busy` (the progress
 * indication), `first` (first new content, partial or final), `final` — and `parts`, the number of
 * partial drawings before the final one. Kept on `window.sigpropTimings` (last 100 changes) for the
 * browser tests and for anyone who wants to look.
 */
interface PanelTiming {
  busy?: number;
  first?: number;
  final?: number;
  parts: number;
  /** streamed panels: when the first and the last result for this change came from the workers */
  results?: [number, number];
}
interface UpdateTiming {
  id: number;
  cause: string;
  panels: Record<Panel, PanelTiming>;
  /** when every panel was final (ms after the change) */
  done?: number;
  /** the input error shown instead, if any */
  error?: string;
}
declare global {
  interface Window {
    sigpropTimings: UpdateTiming[];
  }
}
const timings: UpdateTiming[] = [];
window.sigpropTimings = timings;
const startOf = new Map<number, number>();
let cause = "load";

/** Record that panel `p` showed request `id`'s state `kind`. */
function mark(id: number, p: Panel, kind: "busy" | "part" | "final") {
  const rec = timings.find((t) => t.id === id);
  const t0 = startOf.get(id);
  if (!rec || t0 === undefined) return;
  const t = performance.now() - t0;
  const pt = rec.panels[p];
  if (kind === "busy") pt.busy ??= t;
  else {
    pt.first ??= t;
    if (kind === "part") pt.parts++;
    else pt.final ??= t;
  }
  if (id !== reqId) return;
  const sec = sectionOf(p);
  sec.dataset.state = kind === "busy" ? "busy" : kind === "part" ? "partial" : "ready";
  if (kind === "final") sec.removeAttribute("aria-busy");
  else sec.setAttribute("aria-busy", "true");
  if (rec.done === undefined && PANELS.every((q) => rec.panels[q].final !== undefined)) {
    rec.done = t;
    setStatus("ready");
  }
}

/** Record that a worker result for panel `p` arrived (streamed panels). */
function arrived(p: Panel) {
  const rec = timings.find((t) => t.id === reqId);
  const t0 = startOf.get(reqId);
  if (!rec || t0 === undefined || rec.panels[p].final !== undefined) return;
  const t = performance.now() - t0;
  rec.panels[p].results = [rec.panels[p].results?.[0] ?? t, t];
}

/** What the next drawing of each chart shows: the request and whether it is partial. */
const drawTag = new Map<Panel, { id: number; kind: "part" | "final" }>();
const pendingDraw = new Map<
  HTMLElement,
  { spec: Parameters<typeof drawNow>[1]; label: string; tag?: { id: number; kind: "part" | "final" } }
>();
const drawing = new Set<HTMLElement>();
/**
 * Draw a chart, coalescing: one drawing at a time per chart, and of several requested meanwhile only the
 * latest is drawn (streamed rows can arrive faster than Vega draws 625 cells).
 */
async function draw(el: HTMLElement, spec: Parameters<typeof drawNow>[1], label: string): Promise<void> {
  pendingDraw.set(el, { spec, label, tag: drawTag.get(el.id as Panel) });
  if (drawing.has(el)) return;
  drawing.add(el);
  try {
    await new Promise((r) => setTimeout(r, 0)); // let a burst of messages coalesce
    for (let job = pendingDraw.get(el); job; job = pendingDraw.get(el)) {
      pendingDraw.delete(el);
      // Vega names its container "Vega visualization": keep the name the page gave it (phase diagram)
      const name = el.getAttribute("aria-label");
      await drawNow(el, job.spec, job.label);
      if (name !== null) el.setAttribute("aria-label", name);
      if (job.tag) mark(job.tag.id, el.id as Panel, job.tag.kind);
    }
  } finally {
    drawing.delete(el);
  }
}

/** A worker lane for one `job` (its messages typed by it): restarted when asked to start over while still busy. */
class Lane<J extends Response["job"]> {
  private worker: Worker;
  busy = false;
  constructor(private readonly onMessage: (d: Extract<Response, { job: J }>) => void) {
    this.worker = this.spawn();
  }
  private spawn() {
    const w = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (ev) => this.onMessage(ev.data);
    w.onerror = (e) => {
      this.busy = false;
      $("error").textContent = `theory worker failed: ${e.message}`;
    };
    return w;
  }
  /** Stop what the lane is doing (a busy worker is replaced by a fresh one). */
  stop() {
    if (!this.busy) return;
    this.worker.terminate();
    this.worker = this.spawn();
    this.busy = false;
  }
  /** Send a request; a lane busy with an older one is restarted first unless `queue`. */
  post(r: Request, queue = false) {
    if (this.busy && !queue) {
      this.worker.terminate();
      this.worker = this.spawn();
    }
    this.busy = true;
    this.worker.postMessage(r);
  }
}

// ---- state lane ----
const stateLane = new Lane<"state">((d) => {
  if (d.id !== reqId) return;
  const id = reqId;
  switch (d.kind) {
    case "quick":
      drawTag.set("vmap", { id, kind: "final" });
      renderQuick(d.quick);
      mark(id, "numbers", "part");
      startBackground(id);
      break;
    case "main":
      for (const p of ["cmap", "dyn"] as const) drawTag.set(p, { id, kind: "final" });
      drawTag.set("phaseplot", { id, kind: phaseComplete() ? "final" : "part" });
      renderMain(d.main);
      document.querySelectorAll<HTMLElement>("[data-pending]").forEach((el) => delete el.dataset.pending);
      mark(id, "numbers", "final");
      setStatus(progressText(), true);
      break;
    case "spectrum": {
      drawTag.set("spectrum", { id, kind: "final" });
      const sp = d.spectrum;
      renderSpectrum(sp);
      if (!sp.ok || !sp.density) mark(id, "spectrum", "final");
      break;
    }
    case "done":
      stateLane.busy = false;
      break;
    case "error":
      stateLane.busy = false;
      $("error").textContent = String(d.message);
      setStatus("input error", true);
      break;
  }
});

/** The numbers that need only q*, and the variance map, while the rest is computed. */
function renderQuick(q: Pick<Main, "analysis" | "vmap">) {
  renderNumbers({ analysis: q.analysis, critical: { exists: false, reason: "" } });
  void draw($("vmap"), varianceMapSpec(q), "variance map");
  for (const id of ["c_star", "chi_c", "xi_c", "trainable_depth", "verdict", "critical"]) {
    const el = $(id);
    el.dataset.value = "";
    el.dataset.pending = "true";
    el.textContent = "computing…";
  }
  $<HTMLButtonElement>("useCritical").disabled = true;
}

// ---- depth-scale lane ----
type ScalePoint = { xiQ: number | null; xiC: number | null; trainableDepth: number | null };
/** Finished points per `activation|noise|σ_b²` (at most 40 models kept). */
const scaleCache = new Map<string, Map<number, ScalePoint>>();
const scalesKeyOf = (s: State) => `${s.activation}|${s.noise}|${s.sigmaB2}`;
let scalesKey = "";
const scalesLane = new Lane<"scales">((d) => {
  const points = remember(scaleCache, d.key, () => new Map<number, ScalePoint>());
  if (d.kind === "part") {
    const p = d.part;
    p.sigmaW2.forEach((w, k) =>
      points.set(w, { xiQ: p.xiQ[k], xiC: p.xiC[k], trainableDepth: p.trainableDepth[k] }),
    );
    if (d.key === scalesKey) {
      arrived("scales");
      drawScales();
    }
  } else if (d.kind === "done" || d.kind === "error") {
    scalesLane.busy = false;
  }
});

/** Get or create a cache entry, keeping the most recently used `max` entries. */
function remember<V>(cache: Map<string, V>, key: string, make: () => V, max = 40): V {
  let v = cache.get(key);
  if (v === undefined) v = make();
  cache.delete(key);
  cache.set(key, v);
  while (cache.size > max) cache.delete(cache.keys().next().value!);
  return v;
}

/**
 * Indices 0…n−1 coarse to fine (0, n−1, then midpoints of ever smaller gaps), so that the first few
 * cover the whole range and a partial curve or diagram already has the right shape.
 */
function coarseToFine(n: number): number[] {
  const out = [0, n - 1].filter((v, k, a) => a.indexOf(v) === k && v >= 0);
  const seen = new Set(out);
  for (let step = 2 ** Math.ceil(Math.log2(Math.max(1, n - 1))); step >= 1; step /= 2)
    for (let i = step; i < n; i += 2 * step)
      if (!seen.has(i)) {
        seen.add(i);
        out.push(i);
      }
  for (let i = 0; i < n; i++) if (!seen.has(i)) out.push(i);
  return out;
}

function drawScales() {
  if (stateError(state)) return; // as in showPhase
  const points = scaleCache.get(scalesKey);
  const ws = depthScaleGrid(state);
  const have = ws.filter((w) => points?.has(w));
  const d: DepthScales = { sigmaW2: have, xiQ: [], xiC: [], trainableDepth: [] };
  for (const w of have) {
    const p = points!.get(w)!;
    d.xiQ.push(p.xiQ);
    d.xiC.push(p.xiC);
    d.trainableDepth.push(p.trainableDepth);
  }
  const prog = $<HTMLProgressElement>("scalesProgress");
  prog.max = ws.length;
  prog.value = have.length;
  drawTag.set("scales", { id: reqId, kind: have.length === ws.length ? "final" : "part" });
  // the finished curve's numbers, for copying and for the browser tests: the library's `DepthScales`
  // as JSON (camelCase keys, as `depthScales()` returns them; the page is not the CLI's snake_case JSON)
  if (have.length === ws.length) $("scales").dataset.curve = JSON.stringify(d);
  else delete $("scales").dataset.curve;
  if (have.length) void draw($("scales"), depthScaleSpec(d, state), "depth scales along σ_w²");
  setStatus(progressText());
}

function requestScales() {
  scalesKey = scalesKeyOf(state);
  const points = remember(scaleCache, scalesKey, () => new Map<number, ScalePoint>());
  const grid = depthScaleGrid(state);
  const order = coarseToFine(grid.length).map((k) => grid[k]);
  // the current σ_w² first: its marker and 6ξ_c label
  const missing = [state.sigmaW2, ...order].filter((w, k, a) => a.indexOf(w) === k && !points.has(w));
  if (missing.length) {
    // the same model still being computed: put these first in its queue; another model: start over
    const same = scalesLane.busy && lastScalesRequest === scalesKey;
    scalesLane.post({ job: "scales", id: reqId, key: scalesKey, state, ws: missing }, same);
    lastScalesRequest = scalesKey;
  } else if (lastScalesRequest !== scalesKey) scalesLane.stop(); // no CPU for another model now
  drawScales();
}
let lastScalesRequest = "";

// ---- phase lanes ----
/** Finished rows and the EOC curve per `activation|noise`. */
interface PhaseEntry {
  rows: ((number | null)[] | undefined)[];
  eoc?: { points: EocCurvePoint[]; reason?: string };
}
const phaseCache = new Map<string, PhaseEntry>();
const PHASE_LANES = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
const onPhase = (lane: () => Lane<"phase">) => (d: Extract<Response, { job: "phase" }>) => {
  const e = phaseCache.get(d.key);
  if (d.kind === "done" || d.kind === "error") {
    lane().busy = false;
    return;
  }
  if (!e) return;
  if (d.kind === "row") e.rows[d.i] = d.row;
  else if (d.kind === "eoc") e.eoc = d.eoc;
  if (d.key === phaseKey) {
    arrived("phaseplot");
    showPhase();
  }
};
const phaseLanes: Lane<"phase">[] = [];
for (let k = 0; k < PHASE_LANES; k++) phaseLanes.push(new Lane(onPhase(() => phaseLanes[k])));

const phaseComplete = () => {
  const e = phaseCache.get(phaseKey);
  return !!e && e.eoc !== undefined && e.rows.every((r) => r !== undefined);
};

/**
 * Draw the phase diagram from the rows computed so far: a missing row shows its nearest computed row
 * (a coarse preview, refined as rows arrive; the progress bar says how many are exact).
 */
function showPhase() {
  const e = phaseCache.get(phaseKey);
  if (!e || stateError(state)) return; // results of the last valid model wait while the input is bad
  const done = e.rows.flatMap((r, i) => (r ? [i] : []));
  const prog = $<HTMLProgressElement>("phaseProgress");
  prog.max = PHASE_SB.length + 1;
  prog.value = done.length + (e.eoc ? 1 : 0);
  setStatus(progressText());
  // the finished grid's numbers (row i ↔ σ_b² index i), for copying and for the browser tests
  if (phaseComplete()) $("phaseplot").dataset.grid = JSON.stringify(e.rows);
  else delete $("phaseplot").dataset.grid;
  if (!done.length) return; // the previous diagram stays, dimmed, until the first row
  grid = PHASE_SB.map((_, i) => {
    const near = done.reduce((b, k) => (Math.abs(k - i) < Math.abs(b - i) ? k : b), done[0]);
    return e.rows[near]!;
  });
  eocPts = e.eoc?.points ?? [];
  $("phaseNote").textContent = e.eoc?.reason ? `No edge of chaos: ${e.eoc.reason}` : "";
  drawTag.set("phaseplot", { id: reqId, kind: phaseComplete() ? "final" : "part" });
  drawPhase();
}

function requestPhase() {
  const key = `${state.activation}|${state.noise}`;
  if (key === phaseKey) {
    // same model: only the current point moves
    showPhase();
    return;
  }
  phaseKey = key;
  const e = remember(phaseCache, key, () => ({ rows: PHASE_SB.map(() => undefined) }));
  const missing = coarseToFine(PHASE_SB.length).filter((i) => e.rows[i] === undefined);
  let n = 0;
  if (missing.length || !e.eoc) {
    n = Math.min(PHASE_LANES, Math.max(1, missing.length));
    for (let k = 0; k < n; k++) {
      const rows = missing.filter((_, m) => m % n === k);
      // the EOC curve on the last lane, after its first two rows (a first preview comes before it)
      const eocAfter = !e.eoc && k === n - 1 ? Math.min(2, rows.length) : null;
      phaseLanes[k].post({ job: "phase", id: reqId, key, state, rows, eocAfter });
    }
  }
  for (let k = n; k < PHASE_LANES; k++) phaseLanes[k].stop(); // no CPU for another model now
  showPhase();
}

function progressText() {
  const rec = timings.find((t) => t.id === reqId);
  if (!rec || rec.done !== undefined) return "ready";
  const parts: string[] = [];
  const names: Partial<Record<Panel, string>> = {
    numbers: "numbers",
    vmap: "variance map",
    cmap: "correlation map",
    dyn: "dynamics",
    spectrum: "spectrum",
  };
  const waiting = PANELS.filter((p) => names[p] && rec.panels[p].final === undefined);
  if (waiting.length) parts.push(waiting.map((p) => names[p]).join(", "));
  const e = phaseCache.get(phaseKey);
  if (e && !phaseComplete())
    parts.push(`phase diagram ${e.rows.filter((r) => r).length}/${PHASE_SB.length} rows`);
  const ws = depthScaleGrid(state);
  const have = ws.filter((w) => scaleCache.get(scalesKey)?.has(w)).length;
  if (have < ws.length) parts.push(`depth scales ${have}/${ws.length}`);
  return `computing: ${parts.join("; ")}…`;
}

/** The command line of the state, wrapped only between flags (each flag with its value stays whole). */
function writeCliLine(s: State) {
  const quote = (v: string) => (/^[\w.:=,+-]+$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`);
  const parts = [
    "sigprop analyze",
    `--activation ${quote(s.activation)}`,
    `--noise ${quote(s.noise)}`,
    `--sigma-w2 ${quote(numberText(s, "sigmaW2"))}`,
    `--sigma-b2 ${quote(numberText(s, "sigmaB2"))}`,
  ];
  const nodes: (Node | string)[] = [];
  parts.forEach((p, k) => {
    if (k) nodes.push(" ");
    const span = document.createElement("span");
    span.className = "flag";
    span.textContent = p;
    nodes.push(span);
  });
  $("cliLine").replaceChildren(...nodes);
}

/**
 * Put the state (by default the controls') in the URL and ask the workers for the theory. The first call
 * takes the link's state as written, so a bad spec in a link is reported, never quietly replaced.
 */
function update(from?: State) {
  const t0 = performance.now();
  if (from === undefined) syncParamRows();
  state = from ?? readControls();
  reqId++;
  const id = reqId;
  startOf.set(id, t0);
  const rec: UpdateTiming = {
    id,
    cause,
    panels: Object.fromEntries(PANELS.map((p) => [p, { parts: 0 }])) as Record<Panel, PanelTiming>,
  };
  timings.push(rec);
  if (timings.length > 100) startOf.delete(timings.shift()!.id);
  cause = "change";
  history.replaceState(
    null,
    "",
    stateToQuery(state) + (DEVICE ? `&device=${encodeURIComponent(DEVICE)}` : ""),
  );
  writeCliLine(state);
  const err = stateError(state);
  markInvalid(err);
  delete $("status").dataset.ready;
  if (err) {
    // shown at once, in this task; the panels keep the last valid model, marked out of date
    $("error").textContent = err.message;
    rec.error = err.message;
    for (const p of PANELS) {
      sectionOf(p).dataset.state = "invalid";
      sectionOf(p).removeAttribute("aria-busy");
    }
    setStatus("input error", true);
    return;
  }
  $("error").textContent = "";
  for (const p of PANELS) mark(id, p, "busy");
  setStatus("computing…");
  stateLane.post({ job: "state", id, state });
  clearTimeout(backgroundTimer);
  backgroundTimer = setTimeout(() => startBackground(id), BACKGROUND_DELAY_MS);
}

/**
 * The depth-scale and phase lanes (and their drawings from the caches) start once the first numbers are
 * shown, or BACKGROUND_DELAY_MS after the change at the latest: on a machine with few cores they would
 * otherwise take CPU time from the numbers, which come first.
 */
const BACKGROUND_DELAY_MS = 60;
let backgroundTimer: ReturnType<typeof setTimeout> | undefined;
let backgroundFor = 0;
function startBackground(id: number) {
  if (id !== reqId || backgroundFor === id) return;
  backgroundFor = id;
  clearTimeout(backgroundTimer);
  requestScales();
  requestPhase();
}

/** Move the current point to (σ_w², σ_b²) and recompute (12 significant digits: no float dust). */
function moveTo(sw: number, sb: number) {
  input("sigmaW2").value = String(Number(sw.toPrecision(12)));
  input("sigmaB2").value = String(Number(Math.max(0, sb).toPrecision(12)));
  update();
}

// ---- phase diagram: click and keyboard ----
const SW_STEP = PHASE_SW[1] - PHASE_SW[0];
const SB_STEP = PHASE_SB[1] - PHASE_SB[0];
$("phaseplot").addEventListener("click", (ev) => {
  const f = heatmapFraction($("phaseplot"), ev);
  if (!f || f.fx < 0 || f.fx > 1 || f.fy < 0 || f.fy > 1) return;
  // the cells are centred on the grid values: fraction f ↦ index f·n − ½
  // snapped to a quarter of a cell (0.04 in σ_w², 0.005 in σ_b²): pointer positions are whole pixels,
  // and a cell is 11–12 pixels on a laptop, fewer on a phone
  const snap = (v: number, step: number) => Math.round((4 * v) / step) * (step / 4);
  const sw = snap(PHASE_SW[0] + (f.fx * PHASE_SW.length - 0.5) * SW_STEP, SW_STEP);
  const sb = snap(PHASE_SB[0] + (f.fy * PHASE_SB.length - 0.5) * SB_STEP, SB_STEP);
  moveTo(Math.max(SW_STEP / 4, sw), sb);
});
$("phaseplot").addEventListener("keydown", (ev) => {
  const k = ev.shiftKey ? 0.1 : 1;
  const moves: Record<string, [number, number]> = {
    ArrowLeft: [-SW_STEP * k, 0],
    ArrowRight: [SW_STEP * k, 0],
    ArrowDown: [0, -SB_STEP * k],
    ArrowUp: [0, SB_STEP * k],
  };
  const mv = moves[ev.key];
  if (!mv) return;
  ev.preventDefault();
  const sw = state.sigmaW2 + mv[0];
  moveTo(sw > 0 ? sw : state.sigmaW2, state.sigmaB2 + mv[1]);
});

$("useCritical").addEventListener("click", () => {
  const sw = $("critical").dataset.sigmaW2;
  if (sw === undefined) return;
  input("sigmaW2").value = sw;
  update();
});

// ---- Monte Carlo ----
let simWorker: Worker | null = null;
function stopSim(msg: string) {
  simWorker?.terminate();
  simWorker = null;
  $<HTMLButtonElement>("mcRun").disabled = false;
  $<HTMLButtonElement>("mcCancel").disabled = true;
  $("mcStatus").textContent = msg;
}

function runSim() {
  stopSim("starting…");
  const s = { ...state };
  const networks = Math.max(1, Math.min(64, Math.round(Number(input("networks").value) || 4)));
  $<HTMLButtonElement>("mcRun").disabled = true;
  $<HTMLButtonElement>("mcCancel").disabled = false;
  const w = new Worker(new URL("./sim.worker.ts", import.meta.url), { type: "module" });
  simWorker = w;
  let device = "";
  const t0 = performance.now();
  w.onmessage = (ev) => {
    const d = ev.data;
    if (w !== simWorker) return;
    if (d.kind === "device") {
      device = d.device;
      $("mcStatus").dataset.device = device;
      $("mcStatus").textContent = `simulating on ${device}…`;
    } else if (d.kind === "progress") {
      const p = $<HTMLProgressElement>("mcProgress");
      p.max = d.total;
      p.value = d.done;
      const eta = d.done > 0 ? ((performance.now() - t0) / d.done) * (d.total - d.done) : NaN;
      $("mcStatus").textContent =
        `simulating on ${device}: ${d.done}/${d.total}` +
        (Number.isFinite(eta) ? `, about ${Math.ceil(eta / 1000)} s left` : "");
    } else if (d.kind === "done") {
      mc = { result: { variance: d.variance, correlation: d.correlation }, key: simKey(s) };
      // the numbers behind the dots, for copying and for the browser tests
      $("dyn").dataset.mc = JSON.stringify({ device, networks, seed: 1, weights: s.weights, ...mc.result });
      stopSim(`done on ${device}: ${networks} networks of width ${s.width} (${s.weights} weights), seed 1`);
      drawDynamics();
    } else if (d.kind === "error") {
      stopSim(`simulation failed: ${d.message}`);
    }
  };
  w.onerror = (e) => stopSim(`simulation failed: ${e.message}`);
  w.postMessage({ state: s, networks, seed: 1, ...(DEVICE ? { device: DEVICE } : {}) });
}
$("mcRun").addEventListener("click", runSim);
$("mcCancel").addEventListener("click", () => stopSim("cancelled"));

// ---- start ----
fillMenus();
writeControls(state);
// editing a part of the form replaces the link's text for that part (see linkText)
for (const [part, ids] of Object.entries(CONTROLS_OF))
  for (const id of ids)
    for (const ev of ["input", "change"])
      $(id).addEventListener(ev, () => delete linkText[part as keyof typeof linkText], { capture: true });
for (const id of ["actName", "weights"]) select(id).addEventListener("change", () => update());
$("noiseKind").addEventListener("change", () => {
  // a newly chosen kind starts from its own default value (never a keep probability read as a std)
  syncParamRows();
  const key = select("noiseKey").value;
  if (key in NOISE_DEFAULTS) input("noiseValue").value = String(NOISE_DEFAULTS[key]);
  update();
});
$("noiseKey").addEventListener("change", () => {
  // keep ↔ rate: convert, so the same model stays selected; from none chosen (a link's `dropout:0.9`):
  // the key's default when the value is empty
  const key = select("noiseKey").value;
  const v = readNumber(input("noiseValue").value).value;
  if (Number.isFinite(v) && ["keep", "rate"].includes(key) && ["keep", "rate"].includes(shownNoiseKey))
    input("noiseValue").value = String(Number((1 - v).toPrecision(12)));
  else if (!Number.isFinite(v) && key in NOISE_DEFAULTS)
    input("noiseValue").value = String(NOISE_DEFAULTS[key]);
  update();
});
let typing: ReturnType<typeof setTimeout> | undefined;
for (const id of ["actAlpha", "noiseValue", ...NUMBER_IDS]) {
  input(id).addEventListener("change", () => {
    clearTimeout(typing);
    update();
  });
  // live while typing: a value the library accepts at once (the lanes restart, nothing queues up), a
  // half-typed one ("", "1e") only once it has rested for a moment, so no error flashes mid-number
  input(id).addEventListener("input", () => {
    clearTimeout(typing);
    if (input(id).value !== "" && stateError(readControls()) === null) update();
    else typing = setTimeout(() => update(), 400);
  });
}
update(state);
