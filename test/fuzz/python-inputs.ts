// Python text for the fuzzer: generated programs built from the shapes the scanner reads
// (imports, loader calls, constants, f-strings, nested blocks, suppressions) mixed with
// hostile pieces (every line ending, NUL, lone surrogates, deep nesting, long chains), and
// mutations of real Python (the bundled examples and, when present, Debian's standard library).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

const ROOT = join(__dirname, '..', '..', '..');

const lineBreak = fc.constantFrom('\n', '\n', '\n', '\r', '\r\n');
const name = fc.constantFrom('x', 'name', 'MODEL', 'model_id', 'cfg', 'self', 'cls', 'os', 'args', 'AutoModel', 'tok', '_', 'é', 'a1');
const modelId = fc.constantFrom(
  'gpt2', 'bert-base-uncased', 'openai-community/gpt2', 'meta-llama/Llama-2-7b-hf', 'org/model', '', ' ', './local', '../up',
  '/abs/path', 'C:\\models\\x', 'org//model', 'org/model/extra', '🤗/model', 'a'.repeat(97), 'org/' + 'b'.repeat(300), 'x\u0000y', 'with space',
);
const stringPrefix = fc.constantFrom('', '', 'r', 'f', 'b', 'rb', 'F', 'u', 'fr', 'Rb');
const quote = fc.constantFrom('"', "'", '"""', "'''");
const junk = fc.string({ maxLength: 12, unit: fc.constantFrom('a', ' ', '\\', '"', "'", '{', '}', '(', ')', '\n', '\r', '\t', '#', '\u0000', '\ud800', '\udfff', 'é', '🤗', '\u202e') });

const stringLiteral = fc.tuple(stringPrefix, quote, fc.oneof(modelId, junk, fc.constant('{x}'), fc.constant('{x!r}'), fc.constant('{x:>10}'), fc.constant('\\N{DASH}'), fc.constant('\\x41\\u00e9'))).map(([p, q, body]) => `${p}${q}${body}${q}`);

const { expression } = fc.letrec<{ expression: string }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    stringLiteral,
    name,
    fc.constantFrom('1', '0x1F', '1_000', '1e309', 'None', 'True', 'False', '...', '[]', '{}', '()'),
    fc.tuple(tie('expression'), fc.constantFrom(' + ', '+', ' % ', ' * ', ' or ', ' if x else '), tie('expression')).map(([a, op, b]) => `${a}${op}${b}`),
    tie('expression').map((e) => `(${e})`),
    fc.tuple(name, fc.array(name, { maxLength: 4 })).map(([head, rest]) => [head, ...rest].join('.')),
    fc.tuple(fc.constantFrom('os.environ.get', 'os.getenv', 'getenv', 'environ.get', 'f', 'field'), fc.array(tie('expression'), { maxLength: 3 })).map(([fn, args]) => `${fn}(${args.join(', ')})`),
    fc.tuple(tie('expression'), tie('expression')).map(([a, b]) => `${a}[${b}]`),
    tie('expression').map((e) => `f"{${e}}"`),
  ),
}));

const keyword = fc.constantFrom('revision', 'trust_remote_code', 'model', 'repo_id', 'repo_type', 'filename', 'subfolder', 'use_auth_token', 'token', 'default', 'dest', 'pretrained_model_name_or_path');
const argument = fc.oneof(expression, fc.tuple(keyword, expression).map(([k, v]) => `${k}=${v}`), expression.map((e) => `*${e}`), expression.map((e) => `**${e}`));
const callee = fc.constantFrom(
  'AutoModel.from_pretrained', 'AutoTokenizer.from_pretrained', 'transformers.AutoModel.from_pretrained', 'tf.AutoConfig.from_pretrained',
  'PeftModel.from_pretrained', 'StableDiffusionPipeline.from_pretrained', 'model_cls.from_pretrained', 'cls.from_pretrained', 'pipeline',
  'transformers.pipeline', 'SentenceTransformer', 'CrossEncoder', 'hf_hub_download', 'huggingface_hub.snapshot_download', 'snapshot_download',
  'from_pretrained', 'x.y.from_pretrained',
);
const loaderCall = fc.tuple(callee, fc.array(argument, { maxLength: 5 }), fc.boolean()).map(([fn, args, multiline]) => `${fn}(${args.join(multiline ? ',\n    ' : ', ')})`);

const importLine = fc.constantFrom(
  'from transformers import AutoModel, AutoTokenizer, pipeline', 'import transformers', 'import transformers as tf', 'from transformers import AutoConfig as AC',
  'from peft import PeftModel', 'from diffusers import StableDiffusionPipeline', 'from sentence_transformers import SentenceTransformer, CrossEncoder',
  'from huggingface_hub import hf_hub_download, snapshot_download', 'import huggingface_hub', 'import os', 'from os import environ, getenv',
  'from dataclasses import dataclass, field', 'import argparse', 'from . import x', 'from .. import (', 'import',
);

const header = fc.constantFrom('def f(x, name="gpt2", *args, **kw):', 'def f(', 'class C:', 'class C(Base):', 'if x:', 'else:', 'for x in y:', 'while x:', 'try:', 'except Exception:', 'with x as y:', 'lambda: (', '@dataclass', 'async def g():', 'match x:', 'case 1:');

const statement = fc.oneof(
  { weight: 4, arbitrary: loaderCall.map((c) => `m = ${c}`) },
  { weight: 2, arbitrary: loaderCall },
  { weight: 3, arbitrary: fc.tuple(name, expression).map(([n, e]) => `${n} = ${e}`) },
  { weight: 2, arbitrary: importLine },
  { weight: 2, arbitrary: header },
  { weight: 1, arbitrary: fc.constantFrom('pass', 'return x', 'self.name = "gpt2"', 'parser.add_argument("--model", default="gpt2")', 'name: str = field(default="gpt2")', 'x += 1', 'for name in names: pass', 'global x', 'del x') },
  { weight: 1, arbitrary: fc.tuple(loaderCall, fc.constantFrom('# ptm-lens: ignore', '# ptm-lens: ignore[PTM402]', '#ptm-lens:ignore[PTM401, ptm402]', '# ptm-lens: ignore[', '# PTM-LENS: IGNORE[*]')).map(([c, d]) => `m = ${c}  ${d}`) },
  { weight: 1, arbitrary: junk },
);

const indentation = fc.oneof({ weight: 5, arbitrary: fc.constant('') }, { weight: 3, arbitrary: fc.constantFrom('    ', '        ', '\t', '  ') }, { weight: 1, arbitrary: fc.nat(40).map((n) => ' '.repeat(n)) });

/** A generated program: lines of statements with random indentation and line endings. */
export const generatedPython: fc.Arbitrary<string> = fc
  .array(fc.tuple(indentation, statement, lineBreak), { minLength: 1, maxLength: 40 })
  .map((lines) => lines.map(([indent, text, end]) => indent + text + end).join(''));

/** Shapes known to hurt: deep nesting, long chains, long concatenations, huge lines. */
export const hostilePython: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.integer({ min: 50, max: 700 }), fc.constantFrom('', 's = """\n', 'x = (\n')).map(([depth, opener]) => {
    let text = `from transformers import AutoModel\n${opener}`;
    for (let i = 0; i < depth; i++) text += `${' '.repeat(i)}if x:\n`;
    return `${text}${' '.repeat(depth)}m = AutoModel.from_pretrained("gpt2")\n`;
  }),
  fc.integer({ min: 1, max: 30_000 }).map((n) => `from transformers import AutoModel\nm = ${Array(n).fill('a').join('.')}.from_pretrained("gpt2")\n`),
  fc.integer({ min: 1, max: 20_000 }).map((n) => `from transformers import AutoModel\nM = ${Array(n).fill('"a"').join('+')}\nm = AutoModel.from_pretrained(M)\n`),
  fc.integer({ min: 1, max: 5_000 }).map((n) => `from transformers import AutoModel\n${Array(n).fill('AutoModel.from_pretrained("gpt2")').join('; ')}  # ptm-lens: ignore[PTM401]\n`),
  fc.integer({ min: 1, max: 5_000 }).map((n) => `from transformers import AutoModel\nm = AutoModel.from_pretrained(${'('.repeat(n)}"gpt2"${')'.repeat(n)})\n`),
  fc.integer({ min: 1, max: 3_000 }).map((n) => `from transformers import AutoModel\nm = AutoModel.from_pretrained(${'['.repeat(n)}\n`),
  fc.integer({ min: 1, max: 5_000 }).map((n) => `from transformers import AutoModel\nX = "gpt2"\nclass C:\n  def f(self, name=X):\n    m = ${'('.repeat(n)}AutoModel.from_pretrained(name, revision=self.rev)${')'.repeat(n)}\n`),
);

/** Real Python files: the bundled examples and Debian's standard library when it is installed. */
export function realPythonFiles(limit = 400): string[] {
  const files: string[] = [];
  const collect = (dir: string, depth: number): void => {
    if (files.length >= limit || depth > 4) return;
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const entry of entries) {
      if (files.length >= limit) return;
      const path = join(dir, entry);
      if (entry.endsWith('.py')) {
        try {
          if (statSync(path).size < 200_000) files.push(readFileSync(path, 'utf8'));
        } catch {
          // Unreadable: not part of the corpus.
        }
      } else if (!entry.startsWith('.') && entry !== 'site-packages' && entry !== 'test' && !entry.includes('.')) collect(path, depth + 1);
    }
  };
  collect(join(ROOT, 'examples'), 0);
  const stdlib = debianStdlib();
  if (stdlib) collect(stdlib, 0);
  return files;
}

function debianStdlib(): string | undefined {
  if (!existsSync('/usr/bin/python3')) return undefined;
  try {
    const path = execFileSync('/usr/bin/python3', ['-c', 'import sysconfig; print(sysconfig.get_path("stdlib"))'], { encoding: 'utf8', timeout: 10_000 }).trim();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** One mutation of a real file: a window of it, edited the way hostile or half-typed code differs from valid code. */
export function mutatedPython(corpus: string[]): fc.Arbitrary<string> {
  const window = fc.tuple(fc.nat(corpus.length - 1), fc.nat(), fc.integer({ min: 200, max: 12_000 })).map(([file, start, length]) => {
    const text = corpus[file];
    const from = text.length > length ? start % (text.length - length) : 0;
    return text.slice(from, from + length);
  });
  const edit = fc.oneof(
    fc.tuple(fc.nat(), statement).map(([at, inserted]) => (text: string) => insertLine(text, at, `${inserted}\n`)),
    fc.tuple(fc.nat(), loaderCall).map(([at, call]) => (text: string) => insertLine(text, at, `m = ${call}\n`)),
    fc.tuple(fc.nat(), fc.nat(200)).map(([at, length]) => (text: string) => {
      const from = at % (text.length + 1);
      return text.slice(0, from) + text.slice(from + length);
    }),
    fc.tuple(fc.nat(), fc.nat(400)).map(([at, length]) => (text: string) => {
      const from = at % (text.length + 1);
      return text.slice(0, from) + text.slice(from, from + length) + text.slice(from);
    }),
    fc.tuple(fc.nat(), junk).map(([at, piece]) => (text: string) => {
      const from = at % (text.length + 1);
      return text.slice(0, from) + piece + text.slice(from);
    }),
    fc.constantFrom('\r', '\r\n').map((ending) => (text: string) => text.replace(/\r?\n/g, ending)),
    fc.nat().map((at) => (text: string) => text.slice(0, at % (text.length + 1))),
    fc.constant((text: string) => text.replace(/^( +)/gm, '$1$1')),
  );
  return fc.tuple(window, fc.array(edit, { minLength: 1, maxLength: 6 }), importLine).map(([text, edits, imported]) =>
    edits.reduce((current, apply) => apply(current), `${imported}\n${text}`),
  );
}

function insertLine(text: string, at: number, line: string): string {
  const offset = at % (text.length + 1);
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return text.slice(0, start) + line + text.slice(start);
}
