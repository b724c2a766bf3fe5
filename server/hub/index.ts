// The Hub layer's public surface.
export * from './types';
export { HubClient, type HubClientOptions } from './client';
export { FixtureHub, loadFixtureModels, type FixtureModel } from './fixture';
export { findLocalCommit, hubCacheDir, listLocalSnapshotFiles, localSnapshotDir, readLocalConfig, readLocalFile, repoFolderName } from './local-cache';
export { DEFAULT_CONCURRENCY, DEFAULT_ENDPOINT, findToken, hfHome, isOfflineEnv, resolveEndpoint } from './settings';
export { isValidModelId } from './ids';
export { parseRateLimit, type RateLimitState } from './rate-limit';
