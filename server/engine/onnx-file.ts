// One .onnx file through the pipeline: read the graph (never its external weights) -> graph
// rules -> settings. Gives the summary that `inspect-onnx`, the editor command and the
// workspace scan share.
import { statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { Note } from '../core/notes';
import type { Severity } from '../core/types';
import { loadOnce } from '../core/load-once';
import { sha256Hex } from '../core/sha256';
import { effectiveSeverity, excludeMatcher, type RuleSettings } from '../config/settings';
import { opHistogram, type OnnxGraph, type OnnxValue } from '../onnx/graph';
import { RULES } from '../rules';
import { isGraphRule } from '../rules/graph-rule';
import { readFolder } from './read-folder';

export interface OnnxFinding {
  code: string;
  severity: Severity;
  message: string;
  /** Names of the nodes concerned (may be empty for model-level findings such as the opset). */
  nodes: string[];
  fingerprint: string;
}

/** The JSON of `ptm-lens inspect-onnx` (docs/inspect-onnx.schema.json). */
export interface OnnxInspection {
  version: 1;
  file: string;
  irVersion: number;
  producer: { name: string; version: string };
  opsets: Record<string, number>;
  nodeCount: number;
  ops: Record<string, number>;
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  initializers: OnnxGraph['initializers'];
  findings: OnnxFinding[];
}

export interface OnnxCheckContext {
  /** Path relative to the project root, "/" separators (for per-file ignores and fingerprints). */
  relativePath: string;
  settings: RuleSettings;
}

export function checkOnnxGraph(graph: OnnxGraph, context: OnnxCheckContext): OnnxFinding[] {
  const findings: OnnxFinding[] = [];
  for (const rule of RULES) {
    if (!isGraphRule(rule)) continue;
    const severity = effectiveSeverity(context.settings, rule.code, rule.defaultSeverity, context.relativePath);
    if (!severity) continue;
    for (const report of rule.checkGraph(graph)) {
      const fingerprint = sha256Hex([rule.code, context.relativePath, ...report.nodes, report.nodes.length ? '' : report.message].join('\0')).slice(0, 32);
      findings.push({ code: rule.code, severity, message: report.message, nodes: report.nodes, fingerprint });
    }
  }
  return findings;
}

export function inspectOnnxGraph(graph: OnnxGraph, context: OnnxCheckContext): OnnxInspection {
  return {
    version: 1,
    file: context.relativePath,
    irVersion: graph.irVersion,
    producer: graph.producer,
    opsets: graph.opsets,
    nodeCount: graph.nodes.length,
    ops: opHistogram(graph),
    inputs: graph.inputs,
    outputs: graph.outputs,
    initializers: graph.initializers,
    findings: checkOnnxGraph(graph, context),
  };
}

/** Reads and checks a file; throws OnnxReadError with one clear sentence on bad input. */
export function inspectOnnxFile(path: string, context: OnnxCheckContext): OnnxInspection {
  return inspectOnnxGraph(readModel().readOnnxFile(path), context);
}

export function inspectOnnxBytes(bytes: Uint8Array, context: OnnxCheckContext): OnnxInspection {
  return inspectOnnxGraph(readModel().readOnnxBytes(bytes), context);
}

/** The protobuf reader (onnx-proto), loaded with the first ONNX file: most scans meet none. */
const readModel = loadOnce((): typeof import('../onnx/read-model') => require('../onnx/read-model'));

/** The workspace scan reads ONNX files up to this size; larger ones (weights inside) get a note and
 *  are left to `inspect-onnx`, which reads up to the protobuf limit. */
export const SCAN_ONNX_MAX_BYTES = 256 * 1024 * 1024;

export interface ScannedOnnxFile {
  relativePath: string;
  findings: OnnxFinding[];
}

/**
 * The graph findings of every .onnx file under root (or of root itself when it is one). A file
 * that cannot be read or is too large costs only itself: a note, and the scan goes on.
 */
export async function scanOnnxFiles(root: string, settings: RuleSettings, onNote?: (note: Note) => void, listed?: string[]): Promise<ScannedOnnxFile[]> {
  const single = statSync(root).isFile();
  // `listed`: the files the walk of listSourceFiles found (one walk of the tree instead of two).
  const paths = single ? (isOnnxFile(root) ? [root] : []) : (listed ?? (await listOnnxFiles(root, settings)));
  const scanned: ScannedOnnxFile[] = [];
  for (const path of paths) {
    const relativePath = single ? basename(path) : relative(root, path).split(sep).join('/');
    try {
      const size = statSync(path).size;
      if (size > SCAN_ONNX_MAX_BYTES) {
        onNote?.({ level: 'info', message: `not scanned: ${Math.round(size / 2 ** 20)} MB, more than the ${SCAN_ONNX_MAX_BYTES / 2 ** 20} MB the scan reads from an ONNX file; run \`ptm-lens inspect-onnx\` on it.`, file: relativePath });
        continue;
      }
      scanned.push({ relativePath, findings: inspectOnnxFile(path, { relativePath, settings }).findings });
    } catch (error) {
      onNote?.({ level: 'warning', message: `not scanned: ${error instanceof Error ? error.message : String(error)}`, file: relativePath });
    }
  }
  return scanned;
}

/** Every .onnx file under root that the settings do not exclude, sorted. */
export async function listOnnxFiles(root: string, settings: RuleSettings): Promise<string[]> {
  const files: string[] = [];
  await collectOnnxFiles(root, '', excludeMatcher(settings, root), files);
  return files.sort();
}

export const isOnnxFile = (name: string) => name.toLowerCase().endsWith('.onnx');

/**
 * Adds the .onnx files under `dir` (`relativeDir` from the scan root) that `excluded` leaves in to
 * `files`, unsorted. Regular files only; .gitignore files are not read (a model file is often
 * ignored by git and still shipped); folders that cannot be read are passed over.
 */
export async function collectOnnxFiles(dir: string, relativeDir: string, excluded: (relativePath: string) => boolean, files: string[]): Promise<void> {
  let entries;
  try {
    entries = await readFolder(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    // Relative paths are built by joining names (path.relative per entry costs more than the walk).
    const relativePath = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
    if (excluded(relativePath)) continue;
    if (entry.isDirectory()) await collectOnnxFiles(join(dir, entry.name), relativePath, excluded, files);
    else if (entry.isFile() && isOnnxFile(entry.name)) files.push(join(dir, entry.name));
  }
}
