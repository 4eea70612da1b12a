/** The explorer page: controls ↔ URL state, theory in a Web Worker, SVG panels. */
import { DEFAULT_STATE, PHASE_SB, PHASE_SW, type Main, type State } from "./compute.js";
import type { EocCurvePoint } from "../theory/index.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const KEYS = ["activation", "noise", "sigmaW2", "sigmaB2", "width", "depth"] as const;

function readUrl(): State {
  const p = new URLSearchParams(location.search);
  const s: State = { ...DEFAULT_STATE };
  for (const k of KEYS) {
    const v = p.get(k);
    if (v === null) continue;
    if (k === "activation" || k === "noise") s[k] = v;
    else if (Number.isFinite(Number(v))) s[k] = Number(v);
  }
  return s;
}

function readControls(): State {
  const s: State = { ...DEFAULT_STATE };
  for (const k of KEYS) {
    const v = $<HTMLInputElement>(k).value.trim();
    if (k === "activation" || k === "noise") s[k] = v;
    else s[k] = Number(v);
  }
  return s;
}

function writeControls(s: State) {
  for (const k of KEYS) $<HTMLInputElement>(k).value = String(s[k]);
}

function writeUrl(s: State) {
  const p = new URLSearchParams();
  for (const k of KEYS) p.set(k, String(s[k]));
  history.replaceState(null, "", `?${p.toString()}`);
}

function show(id: string, v: number | string | null) {
  const el = $(id);
  if (typeof v === "number") {
    el.dataset.value = String(v);
    el.textContent = Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : String(v);
  } else {
    el.dataset.value = v === null ? "" : v;
    el.textContent = v === null ? "—" : v;
  }
}

// ---- tiny SVG plotting ----
const W = 360;
const H = 240;
const PAD = 36;
type Series = { x: number[]; y: (number | null)[]; color: string; dots?: boolean; dash?: boolean };

function svgEl(tag: string, attrs: Record<string, string | number>) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

function plot(
  id: string,
  series: Series[],
  opts: { xlabel: string; ylabel: string; marks?: { x: number; y: number; label: string }[] },
) {
  const xs = series.flatMap((s) => s.x).filter(Number.isFinite);
  const ys = series.flatMap((s) => s.y).filter((v): v is number => v !== null && Number.isFinite(v));
  if (xs.length === 0 || ys.length === 0) {
    $(id).textContent = "no finite values";
    return;
  }
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs) || x0 + 1;
  let y0 = Math.min(...ys);
  let y1 = Math.max(...ys);
  if (y1 === y0) {
    y0 -= 1;
    y1 += 1;
  }
  const sx = (x: number) => PAD + ((x - x0) / (x1 - x0 || 1)) * (W - PAD - 8);
  const sy = (y: number) => H - PAD - ((y - y0) / (y1 - y0)) * (H - PAD - 8);
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": opts.ylabel });
  svg.appendChild(
    svgEl("rect", { x: PAD, y: 8, width: W - PAD - 8, height: H - PAD - 8, fill: "none", stroke: "#999" }),
  );
  const text = (x: number, y: number, t: string, anchor = "middle") => {
    const el = svgEl("text", { x, y, "font-size": 11, "text-anchor": anchor });
    el.textContent = t;
    svg.appendChild(el);
  };
  text(PAD, H - PAD + 14, fmtTick(x0), "start");
  text(W - 8, H - PAD + 14, fmtTick(x1), "end");
  text(PAD - 3, H - PAD, fmtTick(y0), "end");
  text(PAD - 3, 18, fmtTick(y1), "end");
  text((W + PAD) / 2, H - 6, opts.xlabel);
  for (const s of series) {
    let d = "";
    let pen = false;
    s.x.forEach((x, i) => {
      const y = s.y[i];
      if (y === null || !Number.isFinite(y) || !Number.isFinite(x)) {
        pen = false;
        return;
      }
      if (s.dots) svg.appendChild(svgEl("circle", { cx: sx(x), cy: sy(y), r: 2.5, fill: s.color }));
      d += `${pen ? "L" : "M"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
      pen = true;
    });
    if (!s.dots)
      svg.appendChild(
        svgEl("path", {
          d,
          fill: "none",
          stroke: s.color,
          "stroke-width": 2,
          "stroke-dasharray": s.dash ? "4 3" : "",
        }),
      );
  }
  for (const m of opts.marks ?? []) {
    if (!Number.isFinite(m.x) || !Number.isFinite(m.y)) continue;
    svg.appendChild(svgEl("circle", { cx: sx(m.x), cy: sy(m.y), r: 5, fill: "#d33" }));
    text(sx(m.x) + 8, sy(m.y) - 6, m.label, "start");
  }
  $(id).replaceChildren(svg);
}

function fmtTick(v: number) {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0)
    ? v.toExponential(1)
    : String(Number(v.toPrecision(3)));
}

// ---- phase diagram ----
let grid: (number | null)[][] = PHASE_SB.map(() => PHASE_SW.map(() => null));
let eocPts: EocCurvePoint[] = [];
let eocReason = "";

function colour(chi: number | null) {
  if (chi === null || !Number.isFinite(chi)) return "#eee";
  const t = Math.max(-1, Math.min(1, Math.log(chi) / Math.log(2)));
  const r = t > 0 ? 255 : Math.round(255 * (1 + t));
  const b = t < 0 ? 255 : Math.round(255 * (1 - t));
  const g = Math.round(255 * (1 - Math.abs(t)));
  return `rgb(${r},${g},${b})`;
}

function drawPhase() {
  const s = state;
  const sw0 = PHASE_SW[0];
  const sw1 = PHASE_SW[PHASE_SW.length - 1];
  const sb0 = PHASE_SB[0];
  const sb1 = PHASE_SB[PHASE_SB.length - 1];
  const pw = W - PAD - 8;
  const ph = H - PAD - 8;
  const sx = (x: number) => PAD + ((x - sw0) / (sw1 - sw0)) * pw;
  const sy = (y: number) => H - PAD - ((y - sb0) / (sb1 - sb0)) * ph;
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "phase diagram" });
  const cw = pw / (PHASE_SW.length - 1);
  const chh = ph / (PHASE_SB.length - 1);
  grid.forEach((row, i) =>
    row.forEach((chi, j) =>
      svg.appendChild(
        svgEl("rect", {
          x: sx(PHASE_SW[j]) - cw / 2,
          y: sy(PHASE_SB[i]) - chh / 2,
          width: cw,
          height: chh,
          fill: colour(chi),
        }),
      ),
    ),
  );
  if (eocPts.length > 1) {
    const d = eocPts
      .filter((p) => p.sigma_w2 <= sw1 * 1.2)
      .map((p, i) => `${i ? "L" : "M"}${sx(p.sigma_w2).toFixed(1)},${sy(p.sigma_b2).toFixed(1)}`)
      .join("");
    svg.appendChild(svgEl("path", { d, fill: "none", stroke: "#000", "stroke-width": 2 }));
  }
  svg.appendChild(
    svgEl("circle", {
      cx: sx(s.sigmaW2),
      cy: sy(s.sigmaB2),
      r: 6,
      fill: "none",
      stroke: "#0a0",
      "stroke-width": 3,
    }),
  );
  const text = (x: number, y: number, t: string, anchor = "middle") => {
    const el = svgEl("text", { x, y, "font-size": 11, "text-anchor": anchor });
    el.textContent = t;
    svg.appendChild(el);
  };
  text(PAD, H - PAD + 14, fmtTick(sw0), "start");
  text(W - 8, H - PAD + 14, fmtTick(sw1), "end");
  text(PAD - 3, H - PAD, fmtTick(sb0), "end");
  text(PAD - 3, 18, fmtTick(sb1), "end");
  text((W + PAD) / 2, H - 6, "σ_w² (y: σ_b²; blue ordered, red chaotic, black EOC)");
  svg.addEventListener("click", (ev) => {
    const r = svg.getBoundingClientRect();
    const vx = ((ev.clientX - r.left) / r.width) * W;
    const vy = ((ev.clientY - r.top) / r.height) * H;
    const sw = sw0 + ((vx - PAD) / pw) * (sw1 - sw0);
    const sb = sb0 + ((H - PAD - vy) / ph) * (sb1 - sb0);
    if (sw <= 0 || sb < 0) return;
    $<HTMLInputElement>("sigmaW2").value = String(Number(sw.toPrecision(3)));
    $<HTMLInputElement>("sigmaB2").value = String(Number(sb.toPrecision(3)));
    update();
  });
  const holder = $("phaseplot");
  holder.replaceChildren(svg);
  if (eocReason) {
    const p = document.createElement("p");
    p.textContent = `No EOC curve: ${eocReason}`;
    holder.appendChild(p);
  }
}

// ---- wiring ----
let state = readUrl();
let reqId = 0;
let phaseKey = "";
const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });

let lastMain: Main | null = null;
let mc: { variance: number[]; correlation: number[]; key: string } | null = null;
const stateKey = (s: State) => JSON.stringify(s);

function renderMain(m: Main) {
  lastMain = m;
  const a = m.analysis;
  show("q_star", a.q_star);
  show("c_star", a.c_star);
  show("chi1", a.chi1);
  show("chi_c", a.chi_c);
  show("xi_q", a.xi_q);
  show("xi_c", a.xi_c);
  show("trainable_depth", a.trainable_depth);
  show("phase", a.phase);
  const c = m.critical;
  show(
    "critical",
    c.exists && "sigma_w2" in c && c.sigma_w2 !== null
      ? `σ_w² = ${Number(c.sigma_w2.toPrecision(6))}, σ_b² = ${c.sigma_b2}`
      : `none: ${c.reason ?? "no critical point"}`,
  );
  const qs = a.q_star ?? NaN;
  plot(
    "vmap",
    [
      { x: m.vmap.q, y: m.vmap.v, color: "#26a" },
      { x: m.vmap.q, y: m.vmap.q, color: "#999", dash: true },
    ],
    { xlabel: "q", ylabel: "variance map", marks: [{ x: qs, y: qs, label: "q*" }] },
  );
  const cs = a.c_star ?? NaN;
  plot(
    "cmap",
    [
      { x: m.cmap.c, y: m.cmap.v, color: "#a62" },
      { x: m.cmap.c, y: m.cmap.c, color: "#999", dash: true },
    ],
    { xlabel: "c (at q*)", ylabel: "correlation map", marks: [{ x: cs, y: cs, label: "c*" }] },
  );
  const l = m.traj.q.map((_, i) => i);
  const qn = Number.isFinite(qs) && qs > 0 ? qs : 1;
  plot(
    "dyn",
    [
      { x: l, y: m.traj.q.map((q) => q / qn), color: "#26a" },
      { x: l, y: m.traj.c, color: "#a62" },
      ...(mc && mc.key === stateKey(state)
        ? [
            { x: l, y: mc.variance.map((q) => q / qn), color: "#26a", dots: true },
            { x: l, y: mc.correlation, color: "#a62", dots: true },
          ]
        : []),
    ],
    { xlabel: "layer l (blue q/q*, orange c)", ylabel: "dynamics" },
  );
  drawPhase();
}

worker.onmessage = (ev) => {
  const d = ev.data;
  if (d.id !== reqId) return;
  if (d.kind === "main") {
    renderMain(d.main);
    $("status").textContent = "theory ready; phase diagram computing…";
    $("status").dataset.ready = String(reqId);
  } else if (d.kind === "eoc") {
    eocPts = d.eoc.points;
    eocReason = d.eoc.reason ?? "";
  } else if (d.kind === "row") {
    grid[d.i] = d.row;
    drawPhase();
    $("status").textContent =
      d.i === PHASE_SB.length - 1 ? "ready" : `phase diagram ${d.i + 1}/${PHASE_SB.length}`;
  } else if (d.kind === "error") {
    $("error").textContent = d.message;
    $("status").textContent = "input error";
    $("status").dataset.ready = String(reqId);
  }
};

function update() {
  state = readControls();
  writeUrl(state);
  $("error").textContent = "";
  const key = `${state.activation}|${state.noise}`;
  if (key !== phaseKey) {
    grid = PHASE_SB.map(() => PHASE_SW.map(() => null));
    eocPts = [];
    eocReason = "";
    phaseKey = key;
  }
  reqId++;
  $("status").textContent = "computing…";
  delete $("status").dataset.ready;
  worker.postMessage({ id: reqId, state });
}

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
  const networks = Math.max(1, Math.min(64, Math.round(Number($<HTMLInputElement>("networks").value) || 4)));
  $<HTMLButtonElement>("mcRun").disabled = true;
  $<HTMLButtonElement>("mcCancel").disabled = false;
  const w = new Worker(new URL("./sim.worker.ts", import.meta.url), { type: "module" });
  simWorker = w;
  let device = "";
  w.onmessage = (ev) => {
    const d = ev.data;
    if (w !== simWorker) return;
    if (d.kind === "device") {
      device = d.device;
      $("mcStatus").textContent = `simulating on ${device}…`;
    } else if (d.kind === "progress") {
      const p = $<HTMLProgressElement>("mcProgress");
      p.max = d.total;
      p.value = d.done;
    } else if (d.kind === "done") {
      mc = { variance: d.variance, correlation: d.correlation, key: stateKey(s) };
      stopSim(`done on ${device}: ${networks} networks of width ${s.width}`);
      if (lastMain) renderMain(lastMain);
    } else if (d.kind === "error") {
      stopSim(`simulation failed: ${d.message}`);
    }
  };
  w.onerror = (e) => stopSim(`simulation failed: ${e.message}`);
  w.postMessage({ state: s, networks, seed: 1 });
}
$("mcRun").addEventListener("click", runSim);
$("mcCancel").addEventListener("click", () => stopSim("cancelled"));

writeControls(state);
for (const k of KEYS) $<HTMLInputElement>(k).addEventListener("change", update);
update();
