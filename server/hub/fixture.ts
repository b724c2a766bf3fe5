// Hub answers from a folder of hand-written fixtures instead of the network: the "embedded
// default" that lets the demo and tests show full findings offline. The same files feed
// the fixture Hub server in test/fixtures/hub.
//   <dir>/aliases.json             { "gpt2": "openai-community/gpt2", ... }  (legacy ids)
//   <dir>/<org>--<name>/info.json  the /api/models answer
//   <dir>/<org>--<name>/config.json, README.md   repository files (absent = not in the repo)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hubErr, hubOk } from './types';
import type { HubApi, HubResult, LookupOptions, ModelConfig, ModelInfo } from './types';
import { checkConfig, checkModelData, isObject } from './validate';
import { fixtureFileBytes, loadFixtureFiles, type FixtureFile } from './fixture-files';
import { parseIndex, readSafetensorsHeader } from './safetensors-read';
import type { SafetensorsHeader, SafetensorsIndex } from './safetensors';

export interface FixtureModel {
  id: string;
  /** The raw /api/models answer. */
  info: Record<string, unknown>;
  config?: Record<string, unknown>;
  readme?: string;
  /** Other repository files by name (safetensors files, the index); see fixture-files.ts. */
  files?: Map<string, FixtureFile>;
}

export interface FixtureSet {
  /** By lower-cased canonical id: the Hub matches ids case-insensitively. */
  models: Map<string, FixtureModel>;
  /** Lower-cased legacy id -> canonical id. */
  aliases: Map<string, string>;
}

export function loadFixtureModels(dir: string): FixtureSet {
  const models = new Map<string, FixtureModel>();
  const aliases = new Map<string, string>();
  const aliasFile = join(dir, 'aliases.json');
  if (existsSync(aliasFile)) {
    const raw: unknown = JSON.parse(readFileSync(aliasFile, 'utf8'));
    if (!isObject(raw)) throw new Error(`${aliasFile}: expected an object of legacy id -> canonical id`);
    for (const [from, to] of Object.entries(raw)) {
      // Keys starting with "_" are notes about the fixture, not ids.
      if (!from.startsWith('_') && typeof to === 'string') aliases.set(from.toLowerCase(), to);
    }
  }
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const folder = join(dir, entry.name);
    const info: unknown = JSON.parse(readFileSync(join(folder, 'info.json'), 'utf8'));
    if (!isObject(info) || typeof info.id !== 'string') throw new Error(`${folder}/info.json: no "id"`);
    const configPath = join(folder, 'config.json');
    const readmePath = join(folder, 'README.md');
    const model: FixtureModel = { id: info.id, info };
    if (existsSync(configPath)) model.config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    if (existsSync(readmePath)) model.readme = readFileSync(readmePath, 'utf8');
    const files = loadFixtureFiles(folder);
    if (files.size) model.files = files;
    models.set(info.id.toLowerCase(), model);
  }
  return { models, aliases };
}

/** Finds a model by canonical or legacy id, as the Hub does. */
export function findFixtureModel(set: FixtureSet, id: string): FixtureModel | undefined {
  const key = id.toLowerCase();
  return set.models.get(key) ?? set.models.get(set.aliases.get(key)?.toLowerCase() ?? '');
}

export class FixtureHub implements HubApi {
  private readonly set: FixtureSet;

  /** `authorized` stands for "a token with access": gated files are readable only then. */
  constructor(dirOrSet: string | FixtureSet, private readonly authorized = false) {
    this.set = typeof dirOrSet === 'string' ? loadFixtureModels(dirOrSet) : dirOrSet;
  }

  async modelInfo(id: string, { revision }: LookupOptions = {}): Promise<HubResult<ModelInfo>> {
    const found = this.find(id, revision);
    if (!found.ok) return found;
    const checked = checkModelData(found.value.info);
    if (!checked.ok) return hubErr('malformed', `fixture for "${id}" is unusable: ${checked.problem}`);
    const data = checked.value;
    const info: ModelInfo = { ...data, requestedId: id, canonicalId: data.id, renamed: data.id.toLowerCase() !== id.toLowerCase() };
    if (revision) info.revision = revision;
    return hubOk(info, 'fixture');
  }

  async configJson(id: string, options: LookupOptions = {}): Promise<HubResult<ModelConfig>> {
    const file = this.file(id, 'config.json', options.revision, (m) => m.config);
    if (!file.ok) return file;
    const checked = checkConfig(file.value);
    return checked.ok ? hubOk(checked.value, 'fixture') : hubErr('malformed', `fixture config.json for "${id}": ${checked.problem}`);
  }

  async readme(id: string, options: LookupOptions = {}): Promise<HubResult<string>> {
    return this.file(id, 'README.md', options.revision, (m) => m.readme);
  }

  async safetensorsHeader(id: string, name: string, options: LookupOptions = {}): Promise<HubResult<SafetensorsHeader>> {
    const file = this.file(id, name, options.revision, (m) => m.files?.get(name));
    if (!file.ok) return file;
    // The same two reads and checks as over the network.
    return readSafetensorsHeader(async (range, parse) => {
      const checked = parse(fixtureFileBytes(file.value, range.start, range.length));
      return checked.ok ? hubOk(checked.value, 'fixture') : hubErr('malformed', `fixture ${name} of "${id}": ${checked.problem}`);
    }, () => undefined);
  }

  async safetensorsIndex(id: string, options: LookupOptions = {}): Promise<HubResult<SafetensorsIndex>> {
    const name = 'model.safetensors.index.json';
    const file = this.file(id, name, options.revision, (m) => m.files?.get(name));
    if (!file.ok) return file;
    const checked = parseIndex(fixtureFileBytes(file.value, 0, Number.MAX_SAFE_INTEGER).toString('utf8'));
    return checked.ok ? hubOk(checked.value, 'fixture') : hubErr('malformed', `fixture ${name} of "${id}": ${checked.problem}`);
  }

  private find(id: string, revision?: string): HubResult<FixtureModel> {
    const model = findFixtureModel(this.set, id);
    if (!model) return hubErr('not-found', `model "${id}" was not found on the Hub (fixture).`, 404);
    if (revision && revision !== 'main' && revision !== model.info.sha) {
      return hubErr('revision-not-found', `model "${id}" has no revision "${revision}" (fixture).`, 404);
    }
    return hubOk(model, 'fixture');
  }

  private file<T>(id: string, name: string, revision: string | undefined, pick: (m: FixtureModel) => T | undefined): HubResult<T> {
    const found = this.find(id, revision);
    if (!found.ok) return found;
    if (found.value.info.gated && !this.authorized) {
      return hubErr('gated', `model "${id}" is gated; accept its conditions on the Hub, then set a Hugging Face token (fixture).`, 401);
    }
    const value = pick(found.value);
    return value === undefined ? hubErr('entry-not-found', `model "${id}" has no file "${name}" (fixture).`, 404) : hubOk(value, 'fixture');
  }
}
