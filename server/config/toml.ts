// smol-toml ships CommonJS, but its type declarations are ESM-only; this keeps one typed entry point.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const toml: { parse(text: string): Record<string, unknown> } = require('smol-toml');

export const parseToml = toml.parse;
