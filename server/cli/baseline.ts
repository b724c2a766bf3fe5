// `--baseline FILE`: the fingerprints of a previous run (PTM Lens JSON or SARIF), so a CI job
// reports only findings that are new since then. Fingerprints do not depend on line numbers
// (server/report/records.ts), so code moving above a finding keeps it matched.
import { errorReason, readRegularFile, UnreadableFileError } from '../core/read-regular-file';
import type { FindingRecord } from '../report/records';

/** A baseline report larger than this is not a report PTM Lens wrote for a project. */
const MAX_BASELINE_BYTES = 64 * 1024 * 1024;
/** The SARIF partialFingerprints key PTM Lens writes (server/report/sarif.ts). */
const SARIF_KEY = 'ptmLens/v1';

/** The baseline cannot be used; the message is one line for the user (exit 2). */
export class BaselineError extends Error {}

export interface Baseline {
  /** Fingerprints of the findings in the baseline report. */
  fingerprints: Set<string>;
  format: 'json' | 'sarif';
}

export function readBaseline(path: string): Baseline {
  let text: string;
  try {
    text = readRegularFile(path, MAX_BASELINE_BYTES);
  } catch (error) {
    throw new BaselineError(`cannot read the baseline ${path}: ${error instanceof UnreadableFileError ? error.reason : errorReason(error)}.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new BaselineError(`the baseline ${path} is not JSON: give a report written by ptm-lens scan --format json or --format sarif.`);
  }
  return parseBaseline(data, path);
}

/** Fingerprints from a parsed PTM Lens JSON report or SARIF log. */
export function parseBaseline(data: unknown, path: string): Baseline {
  const report = data as { version?: unknown; findings?: unknown; runs?: unknown };
  if (report && typeof report === 'object' && report.version === 1 && Array.isArray(report.findings)) {
    return { format: 'json', fingerprints: collect(report.findings, (f) => (f as { fingerprint?: unknown })?.fingerprint, path) };
  }
  if (report && typeof report === 'object' && report.version === '2.1.0' && Array.isArray(report.runs)) {
    const ours = report.runs.filter((run) => (run as { tool?: { driver?: { name?: unknown } } })?.tool?.driver?.name === 'PTM Lens');
    if (!ours.length) throw new BaselineError(`the baseline ${path} is a SARIF log without a PTM Lens run.`);
    const results = ours.flatMap((run) => {
      const found = (run as { results?: unknown }).results;
      return Array.isArray(found) ? found : [];
    });
    return { format: 'sarif', fingerprints: collect(results, (r) => (r as { partialFingerprints?: Record<string, unknown> })?.partialFingerprints?.[SARIF_KEY], path) };
  }
  throw new BaselineError(`the baseline ${path} is neither a PTM Lens JSON report (version 1) nor a SARIF 2.1.0 log.`);
}

function collect(items: unknown[], fingerprintOf: (item: unknown) => unknown, path: string): Set<string> {
  const fingerprints = new Set<string>();
  for (const item of items) {
    const fingerprint = fingerprintOf(item);
    if (typeof fingerprint !== 'string' || !fingerprint) {
      throw new BaselineError(`the baseline ${path} has findings without a PTM Lens fingerprint: make it again with this version of ptm-lens.`);
    }
    fingerprints.add(fingerprint);
  }
  return fingerprints;
}

/** The findings not in the baseline, and how many were left out. */
export function newFindings(findings: FindingRecord[], baseline: Baseline): { findings: FindingRecord[]; known: number } {
  const fresh = findings.filter((finding) => !baseline.fingerprints.has(finding.fingerprint));
  return { findings: fresh, known: findings.length - fresh.length };
}
