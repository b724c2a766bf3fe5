// scripts/e2e-setup.sh, which `npm test` runs first, on a machine where it may not install
// anything: one clear message naming what is missing and how to install it, and a failing exit.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../support/temp';
import { ROOT } from './harness';

const ABSENT = 'ptm-lens-absent-package';

test('without root or password-less sudo, the setup stops with one message naming the packages to install', () => {
  const tmp = tempDir('ptm-setup-');
  try {
    // The real script, asked for one more package that no machine has.
    const script = fs.readFileSync(path.join(ROOT, 'scripts', 'e2e-setup.sh'), 'utf8').replace('APT_PACKAGES=(', `APT_PACKAGES=(${ABSENT} `);
    assert.ok(script.includes(ABSENT), 'the package list is where the script keeps it');
    // sudo that, like one wanting a password, refuses to run non-interactively.
    const bin = path.join(tmp.path, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'sudo'), '#!/bin/sh\necho "sudo: a password is required" >&2\nexit 1\n', { mode: 0o755 });
    const env = { PATH: `${bin}:${process.env.PATH}`, HOME: tmp.path, LANG: 'C.UTF-8' };
    // As root, run it as the unprivileged user "nobody" (setpriv, util-linux); the script reads from stdin.
    const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'bash', '-s'] : ['bash', '-s'];
    const run = spawnSync(asUser[0], asUser.slice(1), { cwd: '/', env, input: script, encoding: 'utf8', timeout: 60_000 });

    assert.notEqual(run.status, 0, 'a failing exit code');
    const errors = run.stderr.trim().split('\n');
    assert.equal(errors.length, 1, `one message: ${run.stderr}`);
    assert.match(errors[0], new RegExp(`need these Debian packages: ${ABSENT}\\b`));
    assert.match(errors[0], /needs root/);
    assert.match(errors[0], new RegExp(`apt-get install -y ${ABSENT}`));
    assert.doesNotMatch(run.stdout, /installing/, 'nothing was started');
  } finally {
    tmp.remove();
  }
});
