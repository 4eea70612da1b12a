/**
 * The HTML report DIR/index.html: every figure (SVG, linked to its PNG and data), its caption, and a
 * theory-vs-simulation agreement table per figure. Self-contained apart from the figure files next to it.
 */
import type { Agreement } from "./figure.js";

export interface HtmlFigure {
  id: string;
  title: string;
  caption: string;
  svg: string;
  png: string;
  data: string;
  csvs: string[];
  agreement: Agreement[];
  /** each panel as its own SVG with its width (px), laid out to fit the page; empty: the whole SVG */
  panels?: { src: string; width: number }[];
  /** the pass/flag criterion of the agreement table (judgeAgreement), if any */
  criterion?: string | null;
}

export interface HtmlReport {
  title: string;
  /** settings shown in the header (scale, seed, versions, command) */
  settings: Record<string, string>;
  figures: HtmlFigure[];
}

/** Escape text for HTML. */
export function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

function num(x: number, digits = 3): string {
  if (Number.isNaN(x)) return "—";
  if (!Number.isFinite(x)) return "∞";
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(digits - 1) : String(Number(x.toPrecision(digits)));
}

function pct(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return "—";
  if (!Number.isFinite(x)) return "∞";
  return `${num(100 * x, 2)} %`;
}

function agreementTable(rows: Agreement[], criterion?: string | null): string {
  if (!rows.length) return "<p><em>No simulation in this figure.</em></p>";
  const body = rows
    .map(
      (r) =>
        `<tr class="${r.verdict ?? ""}"><td>${esc(r.panel)}</td><td>${esc(r.series)}</td><td>${r.n}</td><td>${num(r.meanAbsDev)}</td>` +
        `<td>${pct(r.maxRelErr)}</td><td>${num(r.maxDevOverStd)}</td><td>${num(r.maxAbsZ)}</td>` +
        `<td>${r.threshold === undefined ? "—" : num(r.threshold)}</td><td>${r.verdict === "flag" ? "<strong>flag</strong>" : esc(r.verdict ?? "—")}</td>` +
        `<td>${esc(r.note ?? "")}</td></tr>`,
    )
    .join("\n");
  return `${criterion ? `<p class="criterion">${esc(criterion)}</p>\n` : ""}<div class="scroll"><table>
<thead><tr><th>panel</th><th>series</th><th>points</th><th>mean |sim − theory|</th><th>max relative error</th><th>max |sim − theory| / std</th><th>max |z| (SEM)</th><th>|z| threshold</th><th>verdict</th><th>note</th></tr></thead>
<tbody>
${body}
</tbody>
</table></div>`;
}

/**
 * Fonts in the charts are ≥ 11 px (chartSpec MIN_FONT_PX); an image may shrink to fit the page only down
 * to this factor, so no text renders below 10 px; a wider panel scrolls sideways instead.
 */
export const MIN_IMAGE_SCALE = 10 / 11;

/** The figure in the page: its panels side by side, wrapping on narrow pages, or the whole SVG. */
function figureImages(f: HtmlFigure): string {
  if (!f.panels?.length)
    return `<div class="scroll"><a href="${esc(f.png)}"><img src="${esc(f.svg)}" alt="${esc(f.title)}"></a></div>`;
  const imgs = f.panels
    .map((p, k) => {
      const w = Number.isFinite(p.width) ? Math.round(p.width) : null;
      const size = w === null ? "" : ` width="${w}" style="min-width: ${Math.ceil(w * MIN_IMAGE_SCALE)}px"`;
      return `<div class="panel"><a href="${esc(f.png)}"><img src="${esc(p.src)}"${size} alt="${esc(f.title)}, panel ${k + 1}"></a></div>`;
    })
    .join("\n");
  return `<div class="panels">\n${imgs}\n</div>`;
}

/** The report page. */
export function renderHtml(r: HtmlReport): string {
  const settings = Object.entries(r.settings)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join("\n");
  const toc = r.figures.map((f) => `<li><a href="#${esc(f.id)}">${esc(f.title)}</a></li>`).join("\n");
  const figs = r.figures
    .map(
      (f) => `<section id="${esc(f.id)}">
<h2>${esc(f.title)}</h2>
<figure>
${figureImages(f)}
<figcaption>${esc(f.caption)}</figcaption>
</figure>
<p class="files">Data: <a href="${esc(f.data)}">data.json</a>${f.csvs.map((c) => ` · <a href="${esc(c)}">${esc(c.split("/").pop() as string)}</a>`).join("")} · <a href="${esc(f.png)}">PNG</a> · <a href="${esc(f.svg)}">SVG</a></p>
<h3>Theory vs simulation</h3>
${agreementTable(f.agreement, f.criterion)}
</section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(r.title)}</title>
<style>
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 1400px; margin: 2em auto; padding: 0 1em; color: #222; }
img { max-width: 100%; height: auto; border: 1px solid #ddd; }
.panels { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.panel { max-width: 100%; overflow-x: auto; }
figcaption { margin-top: .6em; line-height: 1.45; }
table { border-collapse: collapse; font-size: 0.9em; margin: .5em 0 2em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; }
td:nth-child(n+3) { font-variant-numeric: tabular-nums; }
.files { font-size: 0.9em; }
.scroll { overflow-x: auto; }
.criterion { font-size: 0.9em; max-width: 70em; }
tr.flag td { background: #fde8e4; }
</style>
</head>
<body>
<h1>${esc(r.title)}</h1>
<p>Pretorius, van Biljon, Kroon, Kamper, “Critical initialisation for deep signal propagation in noisy rectifier neural networks”, NeurIPS 2018 (arXiv 1811.00293), regenerated by <code>sigprop reproduce</code>.
Lines are mean-field theory; dots are simulation means over independent random networks (the mean over all units and networks pooled, an unbiased estimate of the mean-field value); bands are ± 1 std over networks unless the caption says otherwise (16–84 % quantiles over networks for variance dynamics, standard errors for fits). Click a panel for the whole figure as PNG.
In the agreement tables, std is the spread over networks, z = (sim − theory)/(std/√networks) uses the standard error of the mean, and the relative error is |sim − theory|/|theory| (points where the theory is within 1 % of zero relative to the series' largest value are left out of it). Each row passes or is flagged by a stated criterion: its largest |z| against the Šidák threshold for the number of comparisons in the figure at a 5 % family-wise false-alarm rate. Finite width adds an O(1/width) bias that large |z| at many networks can reveal.</p>
<table>
${settings}
</table>
<ul>
${toc}
</ul>
${figs}
</body>
</html>
`;
}
