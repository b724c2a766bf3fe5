// The robustness probe's report in a webview: reads the probe's JSON from the page (a
// non-executable data block) and draws the same figures and tables as the CLI's HTML file,
// with images loaded through webview URIs. Bundled by esbuild to dist/probe-report.js; no CDN.
import type { ProbeOutput } from '../server/robustness/probe-output';
import { reportBody } from '../server/robustness/report-html';

const data = document.getElementById('probe-data');
const root = document.getElementById('report');
if (data && root) {
  const output = JSON.parse(data.textContent ?? '{}') as ProbeOutput;
  const base = root.dataset.base ?? '';
  root.innerHTML = reportBody(output, (relative) => `${base}/${relative.split('/').map(encodeURIComponent).join('/')}`);
  root.classList.add('ready');
}
