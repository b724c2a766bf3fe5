// Builds the benchmark inputs from real code: Debian's Python standard library, with
// Hugging Face loader calls inserted (deterministically) where a real project has them.
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, stat, writeFile, copyFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { emptySettings } from '../../server/config/settings';
import { listSourceFiles } from '../../server/engine/workspace';
import { createParser, type SyntaxNode } from '../../server/scan/tree-sitter';

// The python3 first on PATH is another interpreter without Debian's stdlib layout.
export const SYSTEM_PYTHON = '/usr/bin/python3';

export function stdlibDir(): string {
  const result = spawnSync(SYSTEM_PYTHON, ['-c', 'import sysconfig; print(sysconfig.get_path("stdlib"))'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${SYSTEM_PYTHON} failed: ${result.stderr || result.error}`);
  return result.stdout.trim();
}

/** Small seeded PRNG (LCG): same corpus on every run and machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Text of a file when it is valid UTF-8 (files in other encodings are left untouched). */
function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export const LOADER_IMPORTS = [
  'import argparse',
  'import os',
  'from transformers import AutoModel, AutoModelForCausalLM, AutoTokenizer, pipeline',
  'from sentence_transformers import CrossEncoder, SentenceTransformer',
  'from huggingface_hub import hf_hub_download, snapshot_download',
  '',
].join('\n');

// Each snippet is complete top-level code with exactly one loader call, in the shapes
// ML code uses to name models: literals, constants, defaults, argparse, env, class attributes.
const SNIPPETS: ((n: number) => string)[] = [
  (n) => `_hf_model_${n} = AutoModel.from_pretrained("bench-org/model-${n}", revision="main")\n`,
  (n) => `MODEL_${n} = "bench-org/classifier-${n}"\n_hf_pipe_${n} = pipeline("text-classification", model=MODEL_${n})\n`,
  (n) => `def _hf_embedder_${n}(name="sentence-transformers/encoder-${n}"):\n    return SentenceTransformer(name, revision="v1.0")\n`,
  (n) =>
    `REVISION_${n} = "0123456789abcdef0123456789abcdef01234567"\n` +
    `_hf_weights_${n} = hf_hub_download(repo_id="bench-org/weights-${n}", filename="model.safetensors", revision=REVISION_${n})\n`,
  (n) =>
    `_hf_parser_${n} = argparse.ArgumentParser()\n` +
    `_hf_parser_${n}.add_argument("--model-name-${n}", default="bench-org/causal-${n}")\n` +
    `_hf_args_${n} = _hf_parser_${n}.parse_args([])\n` +
    `_hf_tokenizer_${n} = AutoTokenizer.from_pretrained(_hf_args_${n}.model_name_${n}, trust_remote_code=True)\n`,
  (n) => `_hf_snapshot_${n} = snapshot_download(os.environ.get("HF_MODEL_${n}", "bench-org/snapshot-${n}"))\n`,
  (n) => `class _HfRanker${n}:\n    MODEL = "cross-encoder/ranker-${n}"\n\n    def __init__(self):\n        self.model = CrossEncoder(self.MODEL)\n`,
  // Unresolvable on purpose: the id comes from the caller.
  (n) => `def _hf_load_${n}(path):\n    return AutoModelForCausalLM.from_pretrained(path, use_safetensors=True)\n`,
];

/** Mentions loaders only in a docstring and a comment: no reference. */
const DOCUMENTATION_SNIPPET = (n: number) =>
  `def _hf_doc_${n}():\n    """Example:\n\n        >>> pipe = AutoModel.from_pretrained("bench-org/doc-${n}")\n    """\n` +
  `    # model = pipeline("fill-mask", model="bench-org/doc-${n}")\n    return None\n`;

export interface TreeInfo {
  dir: string;
  files: number;
  bytes: number;
  modifiedFiles: number;
  insertedCalls: number;
  /** Paths of the files that got loader calls (for the syntax check). */
  modified: string[];
}

type Parser = Awaited<ReturnType<typeof createParser>>;

/** Offsets (at line starts) where a top-level statement may be inserted, and where the imports go. */
function insertionPoints(parser: Parser, text: string): { header: number; calls: number[] } {
  const tree = parser.parse(text);
  if (!tree) return { header: text.length, calls: [text.length] };
  try {
    const statements = tree.rootNode.namedChildren.filter((s): s is SyntaxNode => !!s && s.type !== 'comment');
    const atLineStart = (offset: number) => offset === 0 || text[offset - 1] === '\n';
    // Imports go after the docstring and `from __future__` imports, which must stay first.
    let first = 0;
    if (statements[0]?.type === 'expression_statement' && statements[0].namedChildren[0]?.type === 'string') first = 1;
    while (statements[first]?.type === 'future_import_statement') first++;
    const header = statements[first] && atLineStart(statements[first].startIndex) ? statements[first].startIndex : text.length;
    // Calls go at module level right after the imports, and after function and class definitions.
    const calls = [header];
    for (let i = first + 1; i < statements.length; i++) {
      const previous = statements[i - 1].type;
      const afterDefinition = previous === 'function_definition' || previous === 'class_definition' || previous === 'decorated_definition';
      if (afterDefinition && atLineStart(statements[i].startIndex)) calls.push(statements[i].startIndex);
    }
    calls.push(text.length);
    return { header, calls };
  } finally {
    tree.delete();
  }
}

/**
 * Copies every source file of `source` (the files the engine would scan) to `target`,
 * inserting the loader imports and 1-4 loader snippets into a seeded half of them.
 */
export async function buildModelHeavyTree(source: string, target: string, seed: number, copies = 1): Promise<TreeInfo> {
  const random = seededRandom(seed);
  const parser = await createParser('python');
  const files = await listSourceFiles(source, emptySettings());
  const info: TreeInfo = { dir: target, files: 0, bytes: 0, modifiedFiles: 0, insertedCalls: 0, modified: [] };
  let counter = 0;
  // Several copies (each with its own seeded choice of files) make a tree as large as a
  // big ML library (diffusers' source is about 45 MB) out of the stdlib's 11 MB.
  for (let copy = 0; copy < copies; copy++) {
    const chosen = new Set(shuffled(files, random).slice(0, Math.floor(files.length / 2)));
    info.files += files.length;
    for (const file of files) {
      const out = join(target, copies > 1 ? `copy${copy}` : '', relative(source, file));
      await mkdir(dirname(out), { recursive: true });
      const text = chosen.has(file) ? decodeUtf8(await readFile(file)) : undefined;
      if (text === undefined) {
        await copyFile(file, out);
        info.bytes += (await stat(out)).size;
        continue;
      }
      const body = text.endsWith('\n') || text === '' ? text : `${text}\n`;
      const points = insertionPoints(parser, body);
      const count = 1 + Math.floor(random() * 4);
      const inserts = new Map<number, string>();
      inserts.set(points.header, LOADER_IMPORTS);
      for (let i = 0; i < count; i++) {
        const at = points.calls[Math.floor(random() * points.calls.length)];
        const snippet = SNIPPETS[Math.floor(random() * SNIPPETS.length)](counter++);
        inserts.set(at, (inserts.get(at) ?? '') + '\n' + snippet + '\n');
      }
      // Like diffusers: loaders are also named in docstrings and comments, which load nothing.
      if (random() < 0.5) {
        const at = points.calls[Math.floor(random() * points.calls.length)];
        inserts.set(at, (inserts.get(at) ?? '') + '\n' + DOCUMENTATION_SNIPPET(counter++) + '\n');
      }
      let edited = body;
      for (const at of [...inserts.keys()].sort((a, b) => b - a)) edited = edited.slice(0, at) + inserts.get(at)! + edited.slice(at);
      await writeFile(out, edited);
      info.bytes += Buffer.byteLength(edited);
      info.modifiedFiles++;
      info.insertedCalls += count;
      info.modified.push(out);
    }
  }
  parser.delete();
  return info;
}

/**
 * A Python file of exactly `lines` lines: whole stdlib modules (seeded order) with a loader
 * snippet after every other module, topped up with one-line loader calls.
 * Uses no tree-sitter, so the latency bench's first analysis is really the first.
 */
export async function buildLargeFile(source: string, lines: number, seed: number): Promise<{ text: string; loaderCalls: number }> {
  const random = seededRandom(seed);
  const countLines = (s: string) => s.split('\n').length - 1;
  let text = LOADER_IMPORTS;
  let remaining = lines - countLines(text);
  let loaderCalls = 0;
  let modules = 0;
  for (const file of shuffled(await listSourceFiles(source, emptySettings()), random)) {
    const decoded = decodeUtf8(await readFile(file));
    // __future__ imports are only legal at the top of a file.
    if (!decoded?.trim() || /^from __future__/m.test(decoded)) continue;
    let piece = (decoded.endsWith('\n') ? decoded : `${decoded}\n`) + '\n';
    const withSnippet = modules % 2 === 1;
    if (withSnippet) piece += SNIPPETS[loaderCalls % SNIPPETS.length](loaderCalls) + '\n';
    const size = countLines(piece);
    if (size > 1200 || size > remaining) continue;
    text += piece;
    remaining -= size;
    modules++;
    if (withSnippet) loaderCalls++;
    if (remaining === 0) break;
  }
  for (; remaining > 0; remaining--) text += `_hf_fill_${loaderCalls} = AutoModel.from_pretrained("bench-org/fill-${loaderCalls++}")\n`;
  return { text, loaderCalls };
}

/** How many of `files` CPython compiles (the inserted code should not break any). */
export function countCompiling(files: string[]): { ok: number; failed: string[] } {
  const script = [
    'import sys',
    'for path in sys.stdin.read().splitlines():',
    '    try:',
    '        compile(open(path, "rb").read(), path, "exec")',
    '    except (SyntaxError, ValueError):',
    '        print(path)',
  ].join('\n');
  const result = spawnSync(SYSTEM_PYTHON, ['-c', script], { input: files.join('\n'), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`syntax check failed: ${result.stderr}`);
  const failed = result.stdout.split('\n').filter(Boolean);
  return { ok: files.length - failed.length, failed };
}
