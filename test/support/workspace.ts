// Temporary project folders for tests.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from './temp';

export interface TempWorkspace {
  root: string;
  path(relative: string): string;
  write(relative: string, text: string): string;
  dispose(): void;
}

export function tempWorkspace(files: Record<string, string> = {}): TempWorkspace {
  const dir = tempDir('ptm-lens-test-');
  const root = dir.path;
  const workspace: TempWorkspace = {
    root,
    path: (relative) => join(root, relative),
    write(relative, text) {
      const file = join(root, relative);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    dispose: () => dir.remove(),
  };
  for (const [relative, text] of Object.entries(files)) workspace.write(relative, text);
  return workspace;
}

/** A local Hugging Face cache holding `commit` as main for each model id. */
export function fakeHubCache(workspace: TempWorkspace, models: Record<string, string>): string {
  for (const [modelId, commit] of Object.entries(models)) {
    const dir = `hf-cache/models--${modelId.split('/').join('--')}`;
    workspace.write(`${dir}/refs/main`, commit);
    workspace.write(`${dir}/snapshots/${commit}/config.json`, '{}');
  }
  return workspace.path('hf-cache');
}
