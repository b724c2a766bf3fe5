// Decides whether a resolved string names a Hub model, and normalises Hub URLs to ids.

const HUB_URL = /^https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/(?!datasets\/|spaces\/)([\w.-]+(?:\/[\w.-]+)?)(?:\/(?:tree|blob|resolve)\/.*)?\/?$/;
const HUB_ID = /^(?:[A-Za-z0-9][\w.-]{0,95}\/)?[A-Za-z0-9][\w.-]{0,95}$/;
const LOCAL_PREFIX = /^(?:\.{1,2}(?:[\\/]|$)|[\\/~]|[A-Za-z]:[\\/])/;

export type IdClassification = { kind: 'hub'; id: string } | { kind: 'local' } | { kind: 'invalid' };

/**
 * Classifies a string the code passes as a model id. `isLocalPath` lets the caller say
 * that a relative path exists in the workspace (a folder named like `org/name`).
 */
export function classifyModelId(raw: string, isLocalPath?: (path: string) => boolean): IdClassification {
  const value = raw.trim();
  const url = HUB_URL.exec(value);
  if (url) return { kind: 'hub', id: url[1] };
  if (value === '' || LOCAL_PREFIX.test(value) || value.includes('\\')) return { kind: 'local' };
  if (isLocalPath?.(value)) return { kind: 'local' };
  if (!HUB_ID.test(value) || value.includes('..') || value.endsWith('.')) {
    return value.includes('/') || value.includes('.') ? { kind: 'local' } : { kind: 'invalid' };
  }
  return { kind: 'hub', id: value };
}
