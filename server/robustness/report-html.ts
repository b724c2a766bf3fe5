// The probe's report page: the figures, a table per run, the models side by side and a few
// original / adversarial / difference triples. `reportBody` is shared by the HTML file the
// CLI writes and the editor's webview (whose script calls it with webview URIs for images).
import type { ProbeOutput } from './probe-output';
import { distributionSvg, escapeXml as esc, successRateSvg } from './report-figures';

const pct = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)}%`);
const num = (v: number | null, digits = 3) => (v === null ? '–' : Number(v.toPrecision(digits)).toString());

/** `src` maps a path relative to the output folder to what an <img> may load. */
export function reportBody(output: ProbeOutput, src: (relative: string) => string): string {
  const s = output.settings;
  const compare = output.models.length > 1;
  const models = `<table class="models"><thead><tr><th></th>${output.models.map((m) => `<th>${esc(m.model)}</th>`).join('')}</tr></thead><tbody>
<tr><th>input</th>${output.models.map((m) => `<td>${m.inputShape.join('×')} ${m.layout}</td>`).join('')}</tr>
<tr><th>classes</th>${output.models.map((m) => `<td>${m.classes}</td>`).join('')}</tr>
<tr><th>normalisation</th>${output.models.map((m) => `<td>${esc(m.normalization)}</td>`).join('')}</tr>
<tr><th>clean accuracy</th>${output.models.map((m) => `<td>${m.cleanAccuracy === null ? 'labels are its own predictions' : pct(m.cleanAccuracy)}</td>`).join('')}</tr>
<tr><th>queries</th>${output.models.map((m) => `<td>${m.queries}</td>`).join('')}</tr>
</tbody></table>`;
  const runs = `<table class="runs"><thead><tr>${compare ? '<th>model</th>' : ''}<th>attack</th><th>defence</th><th>success</th><th>median L2</th><th>median Linf</th><th>median queries</th><th>clean agreement</th><th>8-bit PNG still fools</th><th>time</th></tr></thead><tbody>${output.runs
    .map((r) => {
      const saved = r.images.filter((i) => i.roundedStillAdversarial !== null);
      const kept = saved.filter((i) => i.roundedStillAdversarial).length;
      return `<tr>${compare ? `<td>${esc(r.model)}</td>` : ''}<td>${esc(r.attack)}</td><td>${esc(r.defense)}</td><td class="rate">${pct(r.successRate)}</td><td>${num(r.medianL2)}</td><td>${num(r.medianLinf)}</td><td>${num(r.medianQueries, 6)}</td><td>${pct(r.cleanAgreement)}</td><td>${saved.length ? `${kept}/${saved.length}` : '–'}</td><td>${(r.wallMs / 1000).toFixed(1)} s</td></tr>`;
    })
    .join('')}</tbody></table>`;
  const triples = output.triples.length
    ? `<h2>Examples</h2><p>Original, adversarial (8-bit PNG as saved) and the difference amplified so its largest change is white.</p><div class="triples">${output.triples
        .map((t) => `<figure class="triple"><div class="row"><img src="${esc(src(t.original))}" alt="original ${esc(t.image)}"><img src="${esc(src(t.adversarial))}" alt="adversarial ${esc(t.image)}"><img src="${esc(src(t.difference))}" alt="difference ${esc(t.image)}"></div><figcaption>${esc(t.image)} · ${compare ? `${esc(t.model)} · ` : ''}${esc(t.attack)} · ${esc(t.defense)}: class ${t.label} → ${t.adversarialLabel}; L2 ${num(t.l2)}, Linf ${num(t.linf)}</figcaption></figure>`)
        .join('')}</div>`
    : '<h2>Examples</h2><p>No attack found an adversarial example.</p>';
  const notes = output.notes.length ? `<ul class="notes">${output.notes.map((n) => `<li class="${n.level}">${esc(n.message)}</li>`).join('')}</ul>` : '';
  return `<h1>Robustness probe</h1>
<p class="settings">${output.images.length} images · ${s.targeted ? 'targeted' : 'untargeted'} · norm ${s.norm} · ${s.queries} queries per image${s.epsilon !== null ? ` · epsilon ${s.epsilon}` : ''} · seed ${s.seed}</p>
${notes}
<h2>Models</h2>${models}
<h2>Attack success rate</h2><div class="figure" id="success-rate">${successRateSvg(output)}</div>
<h2>Perturbation sizes</h2><div class="figure" id="l2">${distributionSvg(output, 'l2')}</div><div class="figure" id="linf">${distributionSvg(output, 'linf')}</div>
<h2>Queries to success</h2><div class="figure" id="queries">${distributionSvg(output, 'queries')}</div>
<h2>Runs</h2>${runs}
${triples}`;
}

/** Styles shared by the HTML file and the webview (the webview loads them as a file). */
export const REPORT_CSS = `body{font-family:system-ui,sans-serif;margin:1.5em;max-width:1200px}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #8884;padding:.25em .6em;text-align:right}th{text-align:left}
.figure{margin:.5em 0 1em;overflow-x:auto}.settings{opacity:.8}
.triples{display:flex;flex-wrap:wrap;gap:1.2em}.triple .row{display:flex;gap:4px}
.triple img{width:96px;height:96px;image-rendering:pixelated;border:1px solid #8886}figcaption{font-size:.85em;max-width:300px}
.notes .warning{color:#b15c00}.notes .error{color:#c00}
`;

/** A standalone page for the output folder (report/index.html; images are one folder up). */
export function reportPage(output: ProbeOutput): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' file:; style-src 'unsafe-inline'">
<title>PTM Lens robustness probe</title><style>${REPORT_CSS}</style></head>
<body>${reportBody(output, (relative) => `../${relative}`)}</body></html>
`;
}
