// The conversion check's report page: per-output statistics and a histogram of absolute
// differences. Static HTML with a strict content security policy: no scripts, no CDN,
// styles from the extension's media folder only.
import * as vscode from 'vscode';
import type { CheckOnnxResult } from '../../protocol';

type Ran = Extract<CheckOnnxResult, { ok: true }>;

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const ms = (value: number | undefined) => (value === undefined ? '–' : `${Math.round(value)} ms`);
const num = (value: number | undefined) => (value === undefined ? '–' : value === 0 ? '0' : value.toExponential(2));

function histogram(bins: Ran['histograms'][string]): string {
  const max = Math.max(1, ...bins.map((b) => b.count));
  const width = 28;
  const height = 120;
  const bars = bins
    .map((b, i) => {
      const h = Math.round((b.count / max) * height);
      const label = `${b.from === 0 ? '0' : b.from.toExponential(0)} – ${Number.isFinite(b.to) ? b.to.toExponential(0) : '∞'}: ${b.count}`;
      return `<rect x="${i * (width + 4)}" y="${height - h}" width="${width}" height="${h}" class="bar"><title>${escape(label)}</title></rect>` +
        `<text x="${i * (width + 4) + width / 2}" y="${height + 14}" class="tick">${i === 0 ? '0' : `1e${Math.round(Math.log10(b.from))}`}</text>`;
    })
    .join('');
  return `<svg role="img" aria-label="histogram of absolute differences" width="${bins.length * (width + 4)}" height="${height + 20}">${bars}</svg>`;
}

export function reportHtml(webview: vscode.Webview, extensionUri: vscode.Uri, result: Ran, title: string): string {
  const css = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'onnx-report.css'));
  const rows = result.outputs
    .map((o) => `<tr class="${o.pass ? 'pass' : 'fail'}"><td>${escape(o.name)}</td><td>[${o.shape.join(', ')}]</td><td>${num(o.maxAbsDiff)}</td><td>${num(o.meanAbsDiff)}</td><td>${num(o.medianAbsDiff)}</td><td>${num(o.maxRelDiff)}</td><td>${o.nanOrInf}</td><td>${o.pass ? 'pass' : escape(o.problem ?? 'FAIL')}</td></tr>`)
    .join('');
  const charts = Object.entries(result.histograms)
    .map(([name, bins]) => `<h3>${escape(name)}: |onnxruntime − torch| (log scale bins)</h3>${histogram(bins)}`)
    .join('');
  const t = result.timings;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; img-src ${webview.cspSource};">
<link rel="stylesheet" href="${css}"><title>${escape(title)}</title></head>
<body>
<h1>${escape(title)}</h1>
<p class="verdict ${result.verdict}">Verdict: <strong>${result.verdict}</strong></p>
<p>${escape(result.message)}</p>
<p>Opset ${result.opset}; ${result.inputs} inputs; tolerance |ort − torch| ≤ ${result.tolerances.atol} + ${result.tolerances.rtol} · |torch|.
Optimisation levels: disabled ${escape(result.optimization.levels.disabled)}, all ${escape(result.optimization.levels.all)}; largest difference between them ${num(result.optimization.maxDiffBetweenLevels)}.</p>
<table><thead><tr><th>Output</th><th>Shape</th><th>max |diff|</th><th>mean</th><th>median</th><th>max rel</th><th>NaN/Inf</th><th>Result</th></tr></thead><tbody>${rows}</tbody></table>
${charts}
<p class="timings">Export ${ms(t.exportMs)} · reference ${ms(t.referenceMs)} · onnxruntime ${ms(t.ortMs)} · Python start-up ${ms(t.pythonStartupMs)}. Report file: ${escape(result.report)}</p>
</body></html>`;
}
