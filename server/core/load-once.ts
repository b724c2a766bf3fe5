// A module loaded on first use and kept: the bundler turns each `require` of a module into a fresh
// copy of its exports, so a lazy `require` inside a per-reference function costs a copy per call.
export function loadOnce<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}
