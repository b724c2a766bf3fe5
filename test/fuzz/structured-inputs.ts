// YAML, JSON and TOML configs for the fuzzer: nested mappings with the model keys, revision
// keys and trust_remote_code, values of every shape, then cut, duplicated and garbled.
import fc from 'fast-check';

const key = fc.constantFrom('model', 'model_name_or_path', 'base_model', 'model_id', 'tokenizer_name', 'revision', 'model_revision', 'trust_remote_code', 'datasets', 'x', 'hub_model_id', 'é', '');
const scalar = fc.oneof(
  fc.constantFrom('org/model', 'openai/gpt-4o', 'openai/whisper-tiny', 'ollama/llama3', 'gpt2', './local/dir', 'org/m.safetensors', 'https://huggingface.co/org/m', 'main', 'abc1234', '🤗/m', 'org/m/x', 'a'.repeat(200)),
  fc.string({ maxLength: 10 }),
  fc.constantFrom(true, false, null, 0, 1.5),
);

type Tree = { [k: string]: unknown } | unknown[] | string | number | boolean | null;
const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar as fc.Arbitrary<Tree>, fc.dictionary(key, tie('tree'), { maxKeys: 5 }), fc.array(tie('tree'), { maxLength: 3 })),
}));
const mapping = fc.dictionary(key, tree, { minKeys: 1, maxKeys: 6 });

/** Cuts, duplicates and junk inserted: configs are often half-written. */
const garble = fc.array(
  fc.oneof(
    fc.tuple(fc.nat(), fc.nat(40)).map(([at, n]) => (t: string) => t.slice(0, at % (t.length + 1)) + t.slice((at % (t.length + 1)) + n)),
    fc.tuple(fc.nat(), fc.constantFrom('\t', '\r', '"', "'", ':', '[', '{', '- ', '\n  ', '#', '\u0000', '\ud800', '&a', '*a', '!!binary ', '---\n', '= ')).map(([at, piece]) => (t: string) => t.slice(0, at % (t.length + 1)) + piece + t.slice(at % (t.length + 1))),
  ),
  { maxLength: 3 },
);
const apply = ([text, edits]: [string, ((t: string) => string)[]]) => edits.reduce((t, f) => f(t), text);

function toYaml(value: Tree, indent = ''): string {
  if (Array.isArray(value)) return value.map((v) => `\n${indent}- ${toYaml(v as Tree, `${indent}  `).trimStart()}`).join('') || ' []';
  if (value && typeof value === 'object') return Object.entries(value).map(([k, v]) => `\n${indent}${k || '""'}:${typeof v === 'object' && v ? toYaml(v as Tree, `${indent}  `) : ` ${JSON.stringify(v)}`}`).join('') || ' {}';
  return ` ${typeof value === 'string' && /^[\w./-]+$/.test(value) ? value : JSON.stringify(value)}`;
}

function toToml(value: { [k: string]: unknown }): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      lines.push(`[${JSON.stringify(k)}]`);
      for (const [k2, v2] of Object.entries(v)) if (typeof v2 !== 'object' || v2 === null) lines.push(`${JSON.stringify(k2)} = ${v2 === null ? '"null"' : JSON.stringify(v2)}`);
    } else if (typeof v !== 'object' || v === null) lines.unshift(`${k || '"e"'} = ${v === null ? "'null'" : typeof v === 'string' ? `'${v.replace(/'/g, '')}'` : JSON.stringify(v)}`);
  }
  return lines.join('\n') + '\n';
}

export const generatedYaml = fc.tuple(mapping.map((m) => toYaml(m).trimStart() + '\n'), garble).map(apply);
export const generatedJson = fc.tuple(fc.tuple(mapping, fc.constantFrom(0, 2, '\t')).map(([m, space]) => JSON.stringify(m, null, space)), garble).map(apply);
export const generatedToml = fc.tuple(mapping.map(toToml), garble).map(apply);
