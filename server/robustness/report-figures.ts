// The probe's figures as SVG text: success rate per attack x defence, distributions of
// perturbation sizes, queries to success. Plain strings, no DOM and no canvas, so the CLI
// writes them as files and the editor's webview script draws the same ones. Colours are
// presentation attributes (a strict CSP forbids style attributes); text uses currentColor so
// it follows the page's theme.
import type { ProbeOutput, ProbeRun } from './probe-output';

export const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const FONT = 'font-family="sans-serif" font-size="12"';
/** One colour per defence, in the order given (colour-blind safe, Okabe-Ito). */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#F0E442', '#000000'];

const pct = (v: number) => `${Math.round(v * 100)}%`;
const short = (v: number) => (v === 0 ? '0' : v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(2));
const modelsOf = (output: ProbeOutput) => output.models.map((m) => m.model);
const uniq = <T>(values: T[]) => [...new Set(values)];

/** Red where attacks win, pale where they fail: white (0) to dark red (1). */
function heat(rate: number): string {
  const r = Math.round(255 - rate * (255 - 178));
  const g = Math.round(255 - rate * (255 - 24));
  const b = Math.round(255 - rate * (255 - 43));
  return `rgb(${r},${g},${b})`;
}

/** Success rate per attack (rows) x defence (columns), one panel per model side by side. */
export function successRateSvg(output: ProbeOutput): string {
  const attacks = output.settings.attacks;
  const defenses = output.settings.defenses;
  const cell = { w: 86, h: 30 };
  const left = 100;
  const top = 58;
  const panelW = left + defenses.length * cell.w + 24;
  const models = modelsOf(output);
  const width = Math.max(320, panelW * models.length);
  const height = top + attacks.length * cell.h + 40;
  const parts: string[] = [];
  models.forEach((model, m) => {
    const x0 = m * panelW;
    parts.push(`<text x="${x0 + left}" y="16" font-weight="bold" fill="currentColor">${escapeXml(model)}</text>`);
    defenses.forEach((defense, d) => {
      const run = output.runs.find((r) => r.model === model && r.defense === defense);
      const cx = x0 + left + d * cell.w + cell.w / 2;
      parts.push(`<text x="${cx}" y="${top - 22}" text-anchor="middle" fill="currentColor">${escapeXml(defense)}</text>`);
      if (run) parts.push(`<text x="${cx}" y="${top - 8}" text-anchor="middle" font-size="10" fill="currentColor" opacity="0.75">clean ${pct(run.cleanAgreement)}</text>`);
    });
    attacks.forEach((attack, a) => {
      const y = top + a * cell.h;
      parts.push(`<text x="${x0 + left - 8}" y="${y + cell.h / 2 + 4}" text-anchor="end" fill="currentColor">${escapeXml(attack)}</text>`);
      defenses.forEach((defense, d) => {
        const run = output.runs.find((r) => r.model === model && r.attack === attack && r.defense === defense);
        const x = x0 + left + d * cell.w;
        if (!run) return;
        const rate = run.successRate;
        parts.push(
          `<rect class="cell" x="${x + 1}" y="${y + 1}" width="${cell.w - 2}" height="${cell.h - 2}" fill="${heat(rate)}" stroke="#888" stroke-width="0.5">` +
            `<title>${escapeXml(`${model} · ${attack} · ${defense}: ${pct(rate)} of ${run.images.length} images fooled`)}</title></rect>`,
          `<text x="${x + cell.w / 2}" y="${y + cell.h / 2 + 4}" text-anchor="middle" fill="${rate > 0.55 ? '#fff' : '#222'}">${pct(rate)}</text>`,
        );
      });
    });
  });
  parts.push(
    `<text x="8" y="${height - 20}" font-size="10" fill="currentColor" opacity="0.75">share of images fooled (darker: more)</text>`,
    `<text x="8" y="${height - 7}" font-size="10" fill="currentColor" opacity="0.75">clean: defended vs undefended model on clean images</text>`,
  );
  return svg(width, height, 'attack success rate per attack and defence', parts);
}

type Measure = 'l2' | 'linf' | 'queries';
const MEASURE_LABEL: Record<Measure, string> = {
  l2: 'L2 distance of successful examples (pixels in [0,1], all channels)',
  linf: 'Linf distance of successful examples (largest pixel change, [0,1])',
  queries: 'model queries to success (per image)',
};

/** One row per run (model · attack · defence), a dot per successful image, a tick at the median. */
export function distributionSvg(output: ProbeOutput, measure: Measure): string {
  const rows = output.runs;
  const values = (run: ProbeRun) => run.images.filter((i) => i.success).map((i) => (measure === 'queries' ? i.queries : i[measure])).filter((v): v is number => v !== null);
  const all = rows.flatMap(values);
  const max = measure === 'queries' ? Math.max(output.settings.queries, ...all) : Math.max(1e-6, ...all) * 1.05;
  const left = 250;
  const plotW = 460;
  const rowH = 20;
  const top = 16;
  const height = top + rows.length * rowH + 46;
  const width = left + plotW + 60;
  const scale = (v: number) => left + (v / max) * plotW;
  const defenses = output.settings.defenses;
  const many = uniq(rows.map((r) => r.model)).length > 1;
  const parts: string[] = [];
  rows.forEach((run, r) => {
    const y = top + r * rowH + rowH / 2;
    const colour = PALETTE[defenses.indexOf(run.defense) % PALETTE.length];
    const label = `${many ? `${run.model} · ` : ''}${run.attack} · ${run.defense}`;
    parts.push(`<text x="${left - 8}" y="${y + 4}" text-anchor="end" fill="currentColor">${escapeXml(label)}</text>`);
    parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#888" stroke-width="0.3"/>`);
    const vs = values(run);
    for (const v of vs) parts.push(`<circle class="dot" cx="${scale(v).toFixed(1)}" cy="${y}" r="3.5" fill="${colour}" fill-opacity="0.6"><title>${short(v)}</title></circle>`);
    const mid = measure === 'queries' ? run.medianQueries : measure === 'l2' ? run.medianL2 : run.medianLinf;
    if (mid !== null) parts.push(`<line class="median" x1="${scale(mid).toFixed(1)}" x2="${scale(mid).toFixed(1)}" y1="${y - 8}" y2="${y + 8}" stroke="currentColor" stroke-width="2"><title>median ${short(mid)}</title></line>`);
    if (vs.length === 0) parts.push(`<text x="${left + 4}" y="${y + 4}" font-size="10" fill="currentColor" opacity="0.6">no successful example</text>`);
  });
  const axisY = top + rows.length * rowH + 4;
  parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${axisY}" y2="${axisY}" stroke="currentColor"/>`);
  for (let t = 0; t <= 4; t++) {
    const v = (max * t) / 4;
    parts.push(`<line x1="${scale(v)}" x2="${scale(v)}" y1="${axisY}" y2="${axisY + 4}" stroke="currentColor"/><text x="${scale(v)}" y="${axisY + 16}" text-anchor="middle" font-size="10" fill="currentColor">${short(v)}</text>`);
  }
  parts.push(`<text x="${left + plotW / 2}" y="${axisY + 34}" text-anchor="middle" fill="currentColor">${escapeXml(MEASURE_LABEL[measure])}</text>`);
  return svg(width, height, MEASURE_LABEL[measure], parts);
}

function svg(width: number, height: number, label: string, parts: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(label)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>${parts.join('')}</svg>`;
}

/** Every figure of the report, by file name. */
export function probeFigures(output: ProbeOutput): Record<string, string> {
  return {
    'success-rate.svg': successRateSvg(output),
    'l2.svg': distributionSvg(output, 'l2'),
    'linf.svg': distributionSvg(output, 'linf'),
    'queries.svg': distributionSvg(output, 'queries'),
  };
}
