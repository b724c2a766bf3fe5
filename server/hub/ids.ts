// Hub ids and the URLs built from them.

/** Same shape huggingface_hub accepts: "name" or "org/name", word characters, "-" and ".". */
const REPO_ID = /^[A-Za-z0-9][\w.-]{0,95}(\/[A-Za-z0-9][\w.-]{0,95})?$/;

export function isValidModelId(id: string): boolean {
  return REPO_ID.test(id) && !id.includes('..') && !id.includes('--');
}

/** Characters encodeURIComponent leaves as they are, and "/": an id made of them only is its own encoding (most are). */
const PLAIN_ID = /^[\w.\/-]*$/;
const encodeId = (id: string) => (PLAIN_ID.test(id) ? id : id.split('/').map(encodeURIComponent).join('/'));

export function modelInfoUrl(endpoint: string, id: string, revision?: string): string {
  const base = `${endpoint}/api/models/${encodeId(id)}`;
  return revision ? `${base}/revision/${encodeURIComponent(revision)}` : base;
}

export function resolveUrl(endpoint: string, id: string, file: string, revision = 'main'): string {
  return `${endpoint}/${encodeId(id)}/resolve/${encodeURIComponent(revision)}/${file.split('/').map(encodeURIComponent).join('/')}`;
}

export function repoWebUrl(endpoint: string, id: string): string {
  return `${endpoint}/${encodeId(id)}`;
}

/**
 * A revision that can go into a URL path segment: a branch, tag or commit name as git allows
 * them (no "..", no empty or dot segments, no control characters). Revisions come from code
 * and from Hub answers (a sha); neither may steer a request out of its path.
 */
export function isSafeRevision(revision: string): boolean {
  if (revision === '' || revision.length > 255 || revision.includes('..') || revision.includes('\\')) return false;
  if (/[\u0000-\u001f\u007f]/.test(revision)) return false;
  return revision.split('/').every((part) => part !== '' && part !== '.');
}
