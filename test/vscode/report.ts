// How the extension-host suite hands its results to the process that started VS Code: the
// extension host's console is not always visible (code-server keeps it in its logs).
import { readFileSync } from 'node:fs';

/** Env var naming the JSON file the suite writes its results to. */
export const REPORT_ENV = 'PTM_LENS_SUITE_REPORT';

export interface SuiteResult { name: string; ok: boolean; error?: string }

/** Reads a report file; a missing one means the suite never ran to its end. */
export function readReport(file: string): SuiteResult[] | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SuiteResult[];
  } catch {
    return undefined;
  }
}
