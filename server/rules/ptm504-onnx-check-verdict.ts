import type { Rule } from './rule';

/**
 * The verdict of a conversion check the user ran on a model, shown on its references. The
 * language server publishes it (server/lsp/onnx-verdicts.ts); this module carries its code,
 * docs and settings. Mismatches are warnings, crashes information, passes nothing.
 */
export const onnxCheckVerdict: Rule = {
  code: 'PTM504',
  name: 'onnx-check-verdict',
  title: 'The ONNX conversion check of this model did not pass',
  scope: 'model',
  defaultSeverity: 'warning',
  docs: {
    what:
      'After you run the ONNX conversion check on a model (code action "Run ONNX conversion check" on its reference, or the palette command), ' +
      'its verdict appears on every reference to that model: `mismatch` as a warning, `export-crash`, `load-crash` and `run-crash` as information with the reason. A pass shows nothing.',
    why:
      'A mismatch means the exported graph computes something else than the PyTorch model on the same inputs, beyond tolerance: deploying it would silently change results. ' +
      'A crash means the export or the runtime failed; the message says where.',
    example: 'model = AutoModel.from_pretrained("org/model-with-traced-shapes")  # check verdict: mismatch',
    useInstead:
      '# Fix the export (dynamic axes, opset, or code that turns tensor shapes into Python numbers),\n' +
      '# then run the check again until it passes.\nmodel = AutoModel.from_pretrained("org/model-with-traced-shapes")',
    fixSafety: 'No automatic fix. The report page of the check shows which outputs differ and by how much.',
  },
  check: () => [],
};
