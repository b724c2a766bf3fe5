// `npm run eval`: measured quality sections. Each section scores one thing against a labelled
// set in test/eval/ and says whether its targets are met; run.ts lists the sections.

export interface EvalResult {
  /** Lines printed under the section's title. */
  lines: string[];
  /** Targets not met, one sentence each; empty when all are met. */
  failures: string[];
}

export interface EvalSection {
  title: string;
  run(options: { showErrors: boolean }): EvalResult | Promise<EvalResult>;
}

/** Precision, recall and F1 from counts; an empty class scores 1 (nothing to find, nothing wrong). */
export function prf(tp: number, fp: number, fn: number): { precision: number; recall: number; f1: number } {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
