// An environment with empty caches and no network lookups, so no test depends on what
// this machine has downloaded or on the live Hub.
import { join } from 'node:path';
import { tempDir } from './temp';

// Removed when the test process exits.
const isolated = tempDir('ptm-lens-env-').path;

export const ISOLATED_ENV: NodeJS.ProcessEnv = {
  HF_HUB_OFFLINE: '1',
  HF_HOME: join(isolated, 'hf'),
  HF_HUB_CACHE: join(isolated, 'hf', 'hub'),
  XDG_CACHE_HOME: join(isolated, 'cache'),
  HF_TOKEN: '',
  HF_ENDPOINT: '',
};
