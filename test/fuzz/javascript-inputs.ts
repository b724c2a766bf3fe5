// JavaScript/TypeScript text for the fuzzer: programs built from the shapes the JS scanner
// reads (imports, require, dynamic import, loader calls, option objects, constants, class
// fields, template literals) mixed with hostile pieces (every line ending, NUL, lone
// surrogates, unbalanced brackets, deep nesting, long chains, JSX).
import fc from 'fast-check';

const lineBreak = fc.constantFrom('\n', '\n', '\r\n', '\r', '\u2028');
const name = fc.constantFrom('x', 'MODEL', 'model', 'cfg', 'this', 'opts', 'client', 'hf', 'pipeline', 'AutoModel', 'm', 'é', '$a', '_');
const modelId = fc.constantFrom(
  'Xenova/gpt2', 'gpt2', 'org/model', '', ' ', './local', '/abs', 'org//m', 'org/m/extra', 'https://huggingface.co/org/m', 'datasets/org/d', 'models/org/m',
  'https://api-inference.huggingface.co/models/org/m', '🤗/m', 'a'.repeat(97), 'x\u0000y', 'with space', 'gpt-4o',
);
const junk = fc.string({ maxLength: 12, unit: fc.constantFrom('a', ' ', '\\', '"', "'", '`', '{', '}', '(', ')', '<', '>', '/', '*', '\n', '\r', '\u0000', '\ud800', '\udfff', 'é', '🤗', '${') });
const quote = fc.constantFrom("'", '"', '`');
const escapes = fc.constantFrom('', '\\n', '\\u0041', '\\u{1F917}', '\\x41', '\\\n', '\\u{110000}', '\\q');
const stringLiteral = fc.tuple(quote, fc.oneof(modelId, junk), escapes).map(([q, body, e]) => `${q}${body.replace(/[\\'"`]/g, '')}${e}${q}`);

const { expression } = fc.letrec<{ expression: string }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    stringLiteral,
    name,
    fc.constantFrom('1', 'null', 'true', 'undefined', '[]', '{}', 'process.env.MODEL', "process.env['M']", 'import.meta.env.M', '`${x}/y`', 'x as const', 'x!'),
    fc.tuple(tie('expression'), fc.constantFrom(' + ', ' ?? ', ' || ', ' ? x : '), tie('expression')).map(([a, op, b]) => `${a}${op}${b}`),
    tie('expression').map((e) => `(${e})`),
    fc.tuple(name, fc.array(name, { maxLength: 4 })).map(([head, rest]) => [head, ...rest].join('.')),
    fc.array(fc.tuple(fc.constantFrom('model', 'revision', 'repo', 'type', 'name', 'path', 'endpointUrl', "'model'", '[k]', '...opts'), tie('expression')), { maxLength: 4 }).map(
      (pairs) => `{ ${pairs.map(([k, v]) => (k.startsWith('...') ? k : `${k}: ${v}`)).join(', ')} }`,
    ),
    fc.tuple(tie('expression'), tie('expression')).map(([a, b]) => `${a}[${b}]`),
  ),
}));

const callee = fc.constantFrom(
  'pipeline', 'AutoModel.from_pretrained', 'AutoTokenizer.from_pretrained', 'hf.AutoModel.from_pretrained', 'hf.default.pipeline', 'client.textGeneration',
  'client.endpoint', 'hf.chatCompletion', 'textGeneration', 'downloadFile', 'snapshotDownload', 'listFiles', 'new InferenceClient().featureExtraction',
  'this.client.textGeneration', 'x.y.from_pretrained', 'new HfInferenceEndpoint',
);
const loaderCall = fc.tuple(callee, fc.array(expression, { maxLength: 4 }), fc.boolean()).map(([fn, args, multiline]) => `${fn}(${args.join(multiline ? ',\n  ' : ', ')})`);

const importLine = fc.constantFrom(
  "import { pipeline, AutoModel, AutoTokenizer as AT } from '@huggingface/transformers';", "import * as hf from '@xenova/transformers';",
  "import hf from '@huggingface/transformers';", "const { pipeline } = require('@xenova/transformers');", "const hf = require('@huggingface/transformers');",
  "const { pipeline: p } = await import('@huggingface/transformers');", "import { InferenceClient, HfInference, textGeneration, HfInferenceEndpoint } from '@huggingface/inference';",
  "import { downloadFile, snapshotDownload, listFiles } from '@huggingface/hub';", "import type { X } from '@huggingface/hub';", "import { 'pipeline' as q } from '@huggingface/transformers';",
  "import {", "import '@huggingface/transformers';", "export * from '@huggingface/hub';",
);

const statement = fc.oneof(
  { weight: 4, arbitrary: loaderCall.map((c) => `const m = await ${c};`) },
  { weight: 2, arbitrary: loaderCall },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('const', 'let', 'var'), name, expression).map(([k, n, e]) => `${k} ${n} = ${e};`) },
  { weight: 2, arbitrary: importLine },
  { weight: 2, arbitrary: fc.constantFrom('function f(model, { revision } = {}) {', 'class P { static model = "Xenova/gpt2"; static task = "x";', 'const client = new InferenceClient(token);', '}', '})', 'for (const m of list) {', 'x = "org/other";', 'if (x) {', '() => {', 'async (model: string) => {', 'interface I { model: string }', 'type T = {', '<div onClick={() => {}}>', '</div>', '/* ptm-lens', '// ptm-lens: ignore[PTM402]') },
  { weight: 1, arbitrary: junk },
);

/** A generated program: statements with random line endings. */
export const generatedJavaScript: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.constantFrom('', '  ', '\t'), statement, lineBreak), { minLength: 1, maxLength: 40 })
  .map((lines) => lines.map(([indent, text, end]) => indent + text + end).join(''));

/** Shapes known to hurt parsers and resolvers: deep nesting, long chains and concatenations. */
export const hostileJavaScript: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 5_000 }).map((n) => `import { pipeline } from '@huggingface/transformers';\npipeline('x', ${'('.repeat(n)}'org/m'${')'.repeat(n)});\n`),
  fc.integer({ min: 1, max: 5_000 }).map((n) => `import hf from '@huggingface/transformers';\n${Array(n).fill('a').join('.')}.from_pretrained('org/m');\n`),
  fc.integer({ min: 1, max: 5_000 }).map((n) => `import { pipeline } from '@huggingface/transformers';\nconst M = ${Array(n).fill("'a'").join('+')};\npipeline('x', M);\n`),
  fc.integer({ min: 1, max: 3_000 }).map((n) => `import { pipeline } from '@huggingface/transformers';\npipeline('x', ${'{ a: '.repeat(n)}\n`),
  fc.integer({ min: 1, max: 2_000 }).map((n) => `import { pipeline } from '@huggingface/transformers';\n${Array.from({ length: n }, (_, i) => `const A${i} = A${i + 1};`).join('\n')}\npipeline('x', A0);\n`),
);

/** Which file name a generated program is scanned as (each grammar in turn). */
export const javascriptFileName = fc.constantFrom('fuzz.js', 'fuzz.ts', 'fuzz.tsx', 'fuzz.jsx', 'fuzz.mjs', 'fuzz.cts');
