/**
 * The explorer page: menus ↔ state ↔ URL, theory in a Web Worker (worker.ts), Monte Carlo in another
 * (sim.worker.ts), Vega-Lite panels (charts.ts, drawn by render.ts).
 */
import { ACTIVATION_CATALOGUE, NOISE_KEYS, type EocCurvePoint, type NoiseKind } from "../theory/index.js";
import {
  correlationMapSpec,
  depthScaleSpec,
  dynamicsSpec,
  phaseSpec,
  spectrumSpec,
  varianceMapSpec,
  type McResult,
} from "./charts.js";
import { PHASE_SB, PHASE_SW, type DepthScales, type Main, type Spectrum } from "./compute.js";
import { draw, heatmapFraction } from "./render.js";
import {
  activationParts,
  activationSpec,
  noiseParts,
  noiseSpec,
  NOISE_DEFAULTS,
  NOISE_KEY_LABELS,
  stateFromQuery,
  stateToQuery,
  type State,
} from "./state.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const input = (id: string) => $<HTMLInputElement>(id);
const select = (id: string) => $<HTMLSelectElement>(id);
const NOISE_KINDS: NoiseKind[] = Object.keys(NOISE_KEYS) as NoiseKind[];
const NUMBER_IDS = ["sigmaW2", "sigmaB2", "width", "depth"] as const;

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

function writeControls(s: State) {
  try {
    const a = activationParts(s.activation);
    select("actName").value = a.name;
    if (a.alpha !== null) input("actAlpha").value = String(a.alpha);
  } catch {
    /* an unparsable link: its error is shown when the state is computed */
  }
  try {
    const n = noiseParts(s.noise);
    select("noiseKind").value = n.kind;
    syncParamRows();
    if (n.key !== null) select("noiseKey").value = n.key;
    if (n.value !== null) input("noiseValue").value = String(n.value);
  } catch {
    /* as above */
  }
  syncParamRows();
  for (const k of NUMBER_IDS) input(k).value = String(s[k]);
  select("weights").value = s.weights;
}

function readControls(): State {
  const actName = select("actName").value;
  const hasAlpha = ACTIVATION_CATALOGUE.find((a) => a.name === actName)?.keys.includes("alpha");
  const kind = select("noiseKind").value as NoiseKind;
  const key = NOISE_KEYS[kind].length ? select("noiseKey").value : null;
  const num = (id: string) => (input(id).value.trim() === "" ? NaN : Number(input(id).value));
  return {
    activation: activationSpec({ name: actName, alpha: hasAlpha ? num("actAlpha") : null }),
    noise: noiseSpec({ kind, key, value: key === null ? null : num("noiseValue") }),
    sigmaW2: num("sigmaW2"),
    sigmaB2: num("sigmaB2"),
    width: num("width"),
    depth: num("depth"),
    weights: select("weights").value as State["weights"],
  };
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

function renderNumbers(m: Main) {
  const a = m.analysis;
  show("mu2", a.noise.mu2);
  for (const k of ["q_star", "c_star", "chi1", "chi_c", "xi_q", "xi_c", "trainable_depth"] as const)
    show(k, a[k]);
  show("phase", a.phase);
  // the same rule as `sigprop analyze` (critical.ts classifyPhase), naming the slope that decided it
  $("phase").textContent = `${a.phase} (by ${DECIDED_BY_TEXT[a.decided_by]})`;
  $("phase").title = a.phase_reason;
  // as the CLI: ∞ where the slope exists but does not decay (|χ| ≥ 1), — where it is undefined
  for (const [xi, chi] of [
    ["xi_q", "chi_q"],
    ["xi_c", "chi_c"],
    ["trainable_depth", "chi_c"],
  ] as const)
    if (a[xi] === null && a[chi] !== null) $(xi).textContent = "∞";
  // Schoenholz et al. 2017: networks train when L ≲ 6ξ_c
  const td = a.trainable_depth;
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
  if (c.exists && "sigma_w2" in c && c.sigma_w2 !== null) {
    show("critical", `σ_w² = ${Number(c.sigma_w2.toPrecision(6))} at σ_b² = ${c.sigma_b2}`);
    el.dataset.sigmaW2 = String(c.sigma_w2);
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
  const slope = lastMain?.slope ?? "chi1";
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

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
worker.onmessage = (ev) => {
  const d = ev.data;
  if (d.id !== reqId) return;
  switch (d.kind) {
    case "main":
      renderMain(d.main as Main);
      setStatus("theory ready; spectrum, depth scales and phase diagram computing…", true);
      break;
    case "spectrum":
      renderSpectrum(d.spectrum as Spectrum);
      break;
    case "scales":
      void draw($("scales"), depthScaleSpec(d.scales as DepthScales, state), "depth scales along σ_w²");
      break;
    case "eoc":
      eocPts = d.eoc.points;
      $("phaseNote").textContent = d.eoc.reason ? `No edge of chaos: ${d.eoc.reason}` : "";
      break;
    case "row":
      grid[d.i] = d.row;
      drawPhase();
      setStatus(`phase diagram ${d.i + 1}/${PHASE_SB.length}`);
      break;
    case "done":
      setStatus("ready");
      break;
    case "error":
      $("error").textContent = d.message;
      setStatus("input error", true);
      break;
  }
};

function writeCliLine(s: State) {
  $("cliLine").textContent =
    `sigprop analyze --activation ${s.activation} --noise ${s.noise} --sigma-w2 ${s.sigmaW2} --sigma-b2 ${s.sigmaB2}`;
}

/**
 * Put the state (by default the controls') in the URL and ask the worker for the theory. The first call
 * takes the link's state as written, so a bad spec in a link is reported, never quietly replaced.
 */
function update(from?: State) {
  syncParamRows();
  state = from ?? readControls();
  history.replaceState(
    null,
    "",
    stateToQuery(state) + (DEVICE ? `&device=${encodeURIComponent(DEVICE)}` : ""),
  );
  writeCliLine(state);
  $("error").textContent = "";
  const key = `${state.activation}|${state.noise}`;
  if (key !== phaseKey) {
    grid = PHASE_SB.map(() => PHASE_SW.map(() => null));
    eocPts = [];
    phaseKey = key;
  }
  reqId++;
  delete $("status").dataset.ready;
  setStatus("computing…");
  worker.postMessage({ id: reqId, state });
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
for (const id of ["actName", "weights"]) select(id).addEventListener("change", () => update());
$("noiseKind").addEventListener("change", () => {
  // a newly chosen kind starts from its own default value (never a keep probability read as a std)
  syncParamRows();
  const key = select("noiseKey").value;
  if (key in NOISE_DEFAULTS) input("noiseValue").value = String(NOISE_DEFAULTS[key]);
  update();
});
$("noiseKey").addEventListener("change", () => {
  // keep ↔ rate: convert, so the same model stays selected
  const v = Number(input("noiseValue").value);
  if (Number.isFinite(v) && ["keep", "rate"].includes(select("noiseKey").value))
    input("noiseValue").value = String(Number((1 - v).toPrecision(12)));
  update();
});
let typing: ReturnType<typeof setTimeout> | undefined;
for (const id of ["actAlpha", "noiseValue", ...NUMBER_IDS]) {
  input(id).addEventListener("change", () => {
    clearTimeout(typing);
    update();
  });
  // live while typing, once the value has rested for a moment
  input(id).addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => update(), 400);
  });
}
update(state);
