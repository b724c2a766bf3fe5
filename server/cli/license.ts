// `ptm-lens license --model ID --project ID [--use U] [--base ID]... --format text|json`:
// the license judgement alone, for CI scripts and research. Exit 1 for "incompatible".
import { parseArgs } from 'node:util';
import { parseLicense, leaves, type LicenseTree } from '../license/expression';
import { INTENDED_USES, judge, type IntendedUse, type Judgement } from '../license/verdict';

export const LICENSE_HELP = `Usage: ptm-lens license --model LICENSE --project LICENSE [options]

Judges whether a project under one license may load a model under another.
LICENSE is a Hub license id (llama3.1, openrail++, cc-by-nc-4.0), an SPDX id (GPL-3.0-only)
or an SPDX expression ("MIT OR Apache-2.0"); case does not matter.

Options:
  --model LICENSE      the model's license (required)
  --project LICENSE    the project's license (required)
  --use USE            the project's intended use: commercial, non-commercial or research
                       (default: not known)
  --base LICENSE       the license of a base model the model was trained from (repeatable)
  --format text|json   output format (default: text)
  -h, --help           show this help

Exit codes: 0 compatible, conditional or unknown; 1 incompatible; 2 usage error.
`;

export interface LicenseSide {
  /** What the user gave. */
  id: string;
  spdx: string;
  /** The license kind, or "expression" when it combines several licenses. */
  kind: string;
  name?: string;
  url?: string;
  parts?: { spdx: string; kind: string }[];
}

export interface LicenseVerdictOutput extends Omit<Judgement, 'details'> {
  version: 1;
  use: IntendedUse | null;
  model: LicenseSide;
  project: LicenseSide;
  bases?: LicenseSide[];
}

class LicenseUsageError extends Error {}

export function describeSide(id: string, tree: LicenseTree, spdx: string): LicenseSide {
  const parts = leaves(tree);
  if (parts.length === 1) {
    const { entry } = parts[0];
    return { id, spdx, kind: entry.kind, name: entry.name, ...(entry.url ? { url: entry.url } : {}) };
  }
  return { id, spdx, kind: 'expression', parts: parts.map((p) => ({ spdx: p.spdx, kind: p.entry.kind })) };
}

function parseSide(flag: string, value: string | undefined): { side: LicenseSide; tree: LicenseTree } {
  if (value === undefined) throw new LicenseUsageError(`${flag} is required`);
  const parsed = parseLicense(value);
  if (!parsed.ok) throw new LicenseUsageError(`${flag}: ${parsed.problem}`);
  return { side: describeSide(value, parsed.tree, parsed.spdx), tree: parsed.tree };
}

export function licenseVerdict(argv: string[]): { output: LicenseVerdictOutput; format: 'text' | 'json' } | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        model: { type: 'string' },
        project: { type: 'string' },
        use: { type: 'string' },
        base: { type: 'string', multiple: true, default: [] },
        format: { type: 'string', default: 'text' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new LicenseUsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const format = values.format as string;
  if (format !== 'text' && format !== 'json') throw new LicenseUsageError(`--format must be text or json, not "${format}"`);
  const use = values.use as string | undefined;
  if (use !== undefined && !(INTENDED_USES as readonly string[]).includes(use)) {
    throw new LicenseUsageError(`--use must be commercial, non-commercial or research, not "${use}"`);
  }
  const model = parseSide('--model', values.model as string | undefined);
  const project = parseSide('--project', values.project as string | undefined);
  const bases = (values.base as string[]).map((b) => parseSide('--base', b));
  const judgement = judge(model.tree, project.tree, {
    use: use as IntendedUse | undefined,
    bases: bases.map((b, i) => ({ modelId: `base model ${i + 1}`, tree: b.tree })),
  });
  const output: LicenseVerdictOutput = {
    version: 1,
    verdict: judgement.verdict,
    codes: judgement.codes,
    reasons: judgement.reasons,
    use: (use as IntendedUse | undefined) ?? null,
    model: model.side,
    project: project.side,
    ...(bases.length ? { bases: bases.map((b) => b.side) } : {}),
  };
  return { output, format };
}

export function licenseText(output: LicenseVerdictOutput): string {
  const codes = output.codes.length ? ` (${output.codes.join(', ')})` : '';
  const lines = [
    `${output.verdict}${codes}: model ${output.model.spdx} [${output.model.kind}] in a project under ${output.project.spdx} [${output.project.kind}]` +
      (output.use ? `, intended use ${output.use}` : ''),
    ...output.reasons.map((r) => `  - ${r}`),
  ];
  return lines.join('\n') + '\n';
}

/** Runs the subcommand; returns the exit code. */
export function runLicenseCommand(argv: string[], out: (text: string) => void = (t) => process.stdout.write(t), err: (text: string) => void = (t) => process.stderr.write(t)): number {
  try {
    const result = licenseVerdict(argv);
    if (result === 'help') {
      out(LICENSE_HELP);
      return 0;
    }
    out(result.format === 'json' ? JSON.stringify(result.output, null, 2) + '\n' : licenseText(result.output));
    return result.output.verdict === 'incompatible' ? 1 : 0;
  } catch (error) {
    if (!(error instanceof LicenseUsageError)) throw error;
    err(`ptm-lens license: ${error.message}\nRun "ptm-lens license --help" for usage.\n`);
    return 2;
  }
}
