// Writes the probe's report under the output folder: probe.json, report/index.html and one
// SVG file per figure (for CI artifacts; no native canvas needed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProbeOutput } from './probe-output';
import { probeFigures } from './report-figures';
import { reportPage } from './report-html';

export function writeProbeReport(output: ProbeOutput): void {
  const dir = join(output.out, 'report');
  mkdirSync(dir, { recursive: true });
  for (const [name, svg] of Object.entries(probeFigures(output))) writeFileSync(join(dir, name), `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`);
  writeFileSync(join(output.out, output.report), reportPage(output));
  writeFileSync(join(output.out, 'probe.json'), JSON.stringify(output, null, 2) + '\n');
}
