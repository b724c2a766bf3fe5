// Shell, Dockerfile, Makefile and CI YAML text for the fuzzer: download commands with every
// option shape, quotes, variables and continuations, mixed with hostile pieces.
import fc from 'fast-check';

const lineBreak = fc.constantFrom('\n', '\n', '\r\n', '\r');
const word = fc.constantFrom(
  'org/model', 'gpt2', '"org/m"', "'org/m'", '$MODEL', '"${MODEL}"', '${MODEL:-org/d}', '$(MODEL)', '${{ matrix.model }}', '${{ env.M', './local', 'config.json',
  '--revision', '--revision=main', 'main', '--repo-type', 'dataset', 'model', '--repo-type=space', '--include', '"*.json"', '--local-dir', '-q', '--', '\\\n', '\\\r\n', '"unclosed', "'x", '$(', '`cmd`', '#', '&&', ';', '|', ')',
  'a'.repeat(300), '\u0000', '\ud800', '🤗/m', 'é',
);
const command = fc.tuple(
  fc.constantFrom('', 'RUN ', 'run: ', '- run: ', '\t@', '\t-', 'sudo ', 'X=1 ', 'echo "', '# ', 'cd x && ', 'uv run ', '(', '$(', 'if true; then ', 'my-'),
  fc.constantFrom('hf download', 'huggingface-cli download', 'hf  download', 'hf\tdownload', 'hf upload', 'hfdownload', 'hf download-x'),
  fc.array(word, { maxLength: 8 }),
).map(([prefix, tool, words]) => `${prefix}${tool} ${words.join(' ')}`);

const assignment = fc.constantFrom('MODEL=org/m', 'export MODEL="org/m"', 'MODEL=$OTHER', 'ARG MODEL=org/m', 'ENV MODEL org/m', 'MODEL ?= org/m', 'MODEL := $(X)', 'MODEL += x', 'for MODEL in a b; do', 'done', 'FROM python', 'jobs:', '  steps:', '    - run: |');
const junk = fc.string({ maxLength: 12, unit: fc.constantFrom('a', ' ', '\\', '"', "'", '$', '{', '}', '(', ')', '\n', '\r', '\t', '#', '\u0000', 'é') });

/** A generated script: commands, assignments and junk with random line endings. */
export const generatedShell: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.oneof({ weight: 4, arbitrary: command }, { weight: 2, arbitrary: assignment }, { weight: 1, arbitrary: junk }), lineBreak), { minLength: 1, maxLength: 40 })
  .map((lines) => lines.map(([text, end]) => text + end).join(''));

/** Long lines and many commands. */
export const hostileShell: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 20_000 }).map((n) => `hf download ${'x '.repeat(n)}`),
  fc.integer({ min: 1, max: 5_000 }).map((n) => Array(n).fill('hf download org/m').join(' && ')),
  fc.integer({ min: 1, max: 5_000 }).map((n) => `hf download "${'\\"'.repeat(n)}`),
  fc.integer({ min: 1, max: 5_000 }).map((n) => `${'MODEL=a\n'.repeat(n)}hf download $MODEL\n`),
);

export const shellFileName = fc.constantFrom('fuzz.sh', 'Dockerfile', 'Makefile', 'fuzz.mk', 'fuzz.yml');
