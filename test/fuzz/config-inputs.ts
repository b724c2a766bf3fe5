// TOML for the fuzzer: config files with the keys PTM Lens reads, filled with values of every
// TOML type (right and wrong), plus raw noise and broken syntax.
import fc from 'fast-check';

const bareKey = fc.constantFrom('select', 'ignore', 'exclude', 'severity', 'per-file-ignores', 'thresholds', 'stale-after-days', 'min-card-score', 'PTM402', 'PTM4', '', 'unknown', '__proto__', 'constructor', 'toString');
const code = fc.constantFrom('PTM101', 'PTM402', 'ptm401', 'PTM', 'P', '', '*', 'PTM9999', 'X', ' PTM402 ');
const basicString = fc.oneof(code, fc.constantFrom('error', 'warning', 'info', 'hint', 'off', 'ERROR', '**/*.py', 'tests/**', '[', '\\u0000'), fc.string({ maxLength: 10 }));

function quoteToml(value: string): string {
  return JSON.stringify(value).replace(/\\u([dD][89a-fA-F][0-9a-fA-F]{2})/g, '\\\\u$1');
}

const { value } = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    basicString.map(quoteToml),
    basicString.map((s) => `'${s.replace(/['\n\r]/g, '')}'`),
    fc.constantFrom('true', 'false', '0', '-1', '1e999', 'inf', 'nan', '0.5', '1095', '99999999999999999999', '1979-05-27T07:32:00Z', '"""multi\nline"""'),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
    fc.array(fc.tuple(bareKey, tie('value')), { maxLength: 3 }).map((pairs) => `{ ${pairs.map(([k, v]) => `${quoteToml(k)} = ${v}`).join(', ')} }`),
  ),
}));

const keyPath = fc.array(bareKey, { minLength: 1, maxLength: 3 }).map((parts) => parts.map(quoteToml).join('.'));
const line = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(keyPath, value).map(([k, v]) => `${k} = ${v}`) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('[', '[['), keyPath).map(([open, k]) => `${open}${k}${open === '[' ? ']' : ']]'}`) },
  { weight: 1, arbitrary: fc.constantFrom('[tool.ptm-lens]', '[tool.ptm-lens.severity]', '[tool.ptm-lens.thresholds]', '[tool]', '# comment', '', '= 1', 'key =', '[unclosed') },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);

/** A TOML document (often invalid) for ptm-lens.toml or pyproject.toml. */
export const configToml: fc.Arbitrary<string> = fc
  .tuple(fc.array(line, { maxLength: 15 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([lines, ending]) => lines.join(ending));

/** Which file name the document is written to. */
export const configFileName = fc.constantFrom('ptm-lens.toml', 'pyproject.toml');
