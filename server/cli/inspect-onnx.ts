// `ptm-lens inspect-onnx FILE.onnx`: the graph's summary and the graph rules' findings.
// Exit 0 when it ran (findings included), 2 when the file cannot be read as ONNX.
import { existsSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveSettings } from '../config/resolve-settings';
import { RULE_CODES } from '../engine/workspace';
import { lookupBoundary } from './lookup-boundary';
import type { Note } from '../core/notes';
import { inspectOnnxFile, type OnnxInspection } from '../engine/onnx-file';
import { inspectionText } from '../engine/onnx-text';
import { OnnxReadError } from '../onnx/read-model';
import { UsageError } from './options';

export const INSPECT_ONNX_HELP = `Usage: ptm-lens inspect-onnx FILE.onnx [options]

Reads an ONNX model's graph (never its external weight files) and prints IR version,
opsets, an op histogram, inputs and outputs with dynamic dimensions, initializer sizes,
and the findings of the ONNX rules (PTM502 ops the bundled onnxruntime cannot run,
PTM503 op sequences linked to wrong conversions).

Options:
  --format text|json   output format (default: text)
  --config FILE        read rule settings from FILE (default: the nearest ptm-lens.toml
                       or pyproject.toml above the model)
  -h, --help           show this help

Exit codes: 0 it ran (with or without findings), 2 usage error or unreadable file.
`;

export async function inspectOnnxCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { format: { type: 'string', default: 'text' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(INSPECT_ONNX_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`inspect-onnx takes one FILE.onnx, got ${positionals.length ? positionals.join(' ') : 'none'}`);
  const format = values.format as string;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}"`);
  const file = resolve(positionals[0]);
  if (!existsSync(file)) throw new UsageError(`no such file: ${positionals[0]}`);

  if (values.config && !existsSync(resolve(values.config))) throw new UsageError(`config file not found: ${values.config}`);
  // The same config lookup and checks as `scan`.
  const config = resolveSettings({
    folder: dirname(file),
    boundary: lookupBoundary(dirname(file)),
    configFile: values.config ? resolve(values.config) : undefined,
    knownCodes: RULE_CODES,
  });
  const notes: Note[] = [...config.notes];
  if (config.hasErrors) {
    for (const note of config.notes) process.stderr.write(`ptm-lens: ${note.message}\n`);
    process.stderr.write('ptm-lens: configuration errors (above): fix them, then inspect again.\n');
    return 2;
  }
  const settings = config.settings;
  const configFile = config.configFile;
  const root = configFile ? dirname(configFile) : dirname(file);
  const relativePath = relative(root, file).split(sep).join('/') || basename(file);

  let inspection: OnnxInspection;
  try {
    inspection = inspectOnnxFile(file, { relativePath, settings });
  } catch (error) {
    if (error instanceof OnnxReadError) {
      process.stderr.write(`ptm-lens: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const { external } = inspection.initializers;
  if (external.count) {
    notes.push({ level: 'info', message: `${external.count} initializer${external.count === 1 ? '' : 's'} keep their data in external files (${external.files.join(', ')}); those files were not read.`, file: relativePath });
  }
  for (const note of notes) process.stderr.write(`ptm-lens: ${note.message}\n`);
  process.stdout.write(format === 'json' ? JSON.stringify({ ...inspection, notes }, null, 2) + '\n' : inspectionText(inspection));
  return 0;
}
