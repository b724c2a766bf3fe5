// Command-line parsing for `ptm-lens`. Usage errors throw UsageError (exit code 2).
import { parseArgs } from 'node:util';
import { SEVERITIES, type Severity } from '../core/types';

export class UsageError extends Error {}

export type OutputFormat = 'text' | 'json' | 'sarif';
export type FailOn = Severity | 'never';

export interface ScanCommand {
  command: 'scan';
  path: string;
  format: OutputFormat;
  failOn: FailOn;
  output?: string;
  exclude: string[];
  config?: string;
  color: boolean;
  /** Say more on stderr: which config file is in use. */
  verbose: boolean;
  /** Show stack traces of unexpected errors. */
  debug: boolean;
  /** Where Hub metadata comes from. */
  hub: { mode: 'network' | 'offline' | 'none' } | { mode: 'fixture'; dir: string };
  /** --hub-budget: seconds this run may spend waiting on the Hub (default 20). */
  hubBudgetSeconds?: number;
  /** --baseline: a previous JSON or SARIF report; its findings are not reported again. */
  baseline?: string;
}

export type Command = ScanCommand | { command: 'help' } | { command: 'version' };

export const HELP = `Usage: ptm-lens scan [PATH] [options]

Finds where code loads pre-trained models from Hugging Face and reports risks.
Hub lookups honour HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE and HTTPS_PROXY/NO_PROXY.

Options:
  --format text|json|sarif   output format (default: text)
  --fail-on LEVEL            exit 1 when a finding is at or above LEVEL:
                             error, warning, info, hint or never (default: warning)
  --output FILE              write the report to FILE instead of standard output
  --baseline FILE            report only findings not in FILE, a previous report
                             written with --format json or --format sarif
  --exclude GLOB             do not scan files matching GLOB (repeatable)
  --config FILE              read settings from FILE (ptm-lens.toml or pyproject.toml);
                             by default the nearest one from PATH up to the repository
                             root (a folder with .git) or the current folder
  --offline                  no network: Hub facts only from the local Hugging Face cache
                             and PTM Lens' own cache (also: HF_HUB_OFFLINE=1)
  --no-hub                   no Hub lookups at all: only rules that need no metadata
  --hub-fixture DIR          answer Hub lookups from a fixture folder (demo and tests)
  --hub-budget SECONDS       wait at most this long on the Hub in all (retries, rate-limit
                             resets, timeouts); then the caches only (default: 20)
  --no-color                 plain text output
  --verbose                  say which config file is in use
  --debug                    show stack traces of unexpected errors
  -h, --help                 show this help
  -v, --version              show the version

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it,
2 could not run (bad usage, configuration errors, unreadable PATH).
`;

export function parseCommandLine(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'fail-on': { type: 'string', default: 'warning' },
        output: { type: 'string', short: 'o' },
        baseline: { type: 'string' },
        exclude: { type: 'string', multiple: true, default: [] },
        config: { type: 'string' },
        'no-color': { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        debug: { type: 'boolean', default: false },
        offline: { type: 'boolean', default: false },
        'no-hub': { type: 'boolean', default: false },
        'hub-fixture': { type: 'string' },
        'hub-budget': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const [command, path, ...extra] = positionals;
  if (command === undefined) return { command: 'help' };
  if (command !== 'scan') throw new UsageError(`unknown command "${command}" (the command is "scan")`);
  if (extra.length) throw new UsageError(`scan takes one PATH, got also: ${extra.join(' ')}`);
  if (path === '') throw new UsageError('PATH is an empty string; give a file or folder (default: the current folder)');
  for (const flag of ['config', 'output', 'hub-fixture', 'baseline'] as const) {
    if (values[flag] !== undefined && !(values[flag] as string).trim()) throw new UsageError(`--${flag} needs a value, not an empty string`);
  }
  if ((values.exclude as string[]).some((glob) => !glob.trim())) throw new UsageError('--exclude needs a glob such as "vendor/**", not an empty string');
  const format = values.format as string;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  const failOn = values['fail-on'] as string;
  if (failOn !== 'never' && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on must be error, warning, info, hint or never, not "${failOn}"`);
  }
  const fixture = values['hub-fixture'] as string | undefined;
  if ([values.offline, values['no-hub'], fixture !== undefined].filter(Boolean).length > 1) {
    throw new UsageError('choose one of --offline, --no-hub and --hub-fixture');
  }
  const hub: ScanCommand['hub'] = fixture !== undefined ? { mode: 'fixture', dir: fixture } : { mode: values['no-hub'] ? 'none' : values.offline ? 'offline' : 'network' };
  const budget = values['hub-budget'] as string | undefined;
  const hubBudgetSeconds = budget === undefined ? undefined : Number(budget);
  if (hubBudgetSeconds !== undefined && !(budget!.trim() !== '' && Number.isFinite(hubBudgetSeconds) && hubBudgetSeconds >= 0)) {
    throw new UsageError(`--hub-budget must be a number of seconds, 0 or more, not "${budget}"`);
  }
  return {
    command: 'scan',
    hub,
    ...(hubBudgetSeconds !== undefined ? { hubBudgetSeconds } : {}),
    path: path ?? '.',
    format: format as OutputFormat,
    failOn: failOn as FailOn,
    output: values.output,
    ...(values.baseline !== undefined ? { baseline: values.baseline as string } : {}),
    exclude: values.exclude as string[],
    config: values.config,
    verbose: values.verbose as boolean,
    debug: values.debug as boolean,
    color: !values['no-color'] && !values.output && format === 'text' && !!process.stdout.isTTY && !process.env.NO_COLOR,
  };
}
