// Runs the bundled CLI as a user would.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ISOLATED_ENV } from './isolated-env';

export const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI offline with empty caches unless `env` says otherwise. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd, env: { ...process.env, ...ISOLATED_ENV, ...options.env }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
