// Small vector helpers over flat Float32Array images in [0,1] pixel space.
import type { Norm } from './types';

export function l2Distance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return Math.sqrt(s);
}

export function linfDistance(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > m) m = d;
  }
  return m;
}

export function distance(norm: Norm, a: Float32Array, b: Float32Array): number {
  return norm === 'l2' ? l2Distance(a, b) : linfDistance(a, b);
}

export function l2Norm(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

export function clip01(v: Float32Array): Float32Array {
  for (let i = 0; i < v.length; i++) v[i] = v[i] < 0 ? 0 : v[i] > 1 ? 1 : v[i];
  return v;
}

/** (1 - alpha) * from + alpha * to: the point a fraction alpha of the way from `from` to `to`. */
export function blend(from: Float32Array, to: Float32Array, alpha: number): Float32Array {
  const out = new Float32Array(from.length);
  for (let i = 0; i < from.length; i++) out[i] = from[i] + alpha * (to[i] - from[i]);
  return out;
}

/** `point` clipped into the Linf ball of radius r around `center` (Linf projection). */
export function clipToBall(center: Float32Array, point: Float32Array, r: number): Float32Array {
  const out = new Float32Array(point.length);
  for (let i = 0; i < point.length; i++) {
    const lo = center[i] - r;
    const hi = center[i] + r;
    out[i] = point[i] < lo ? lo : point[i] > hi ? hi : point[i];
  }
  return out;
}

/** Moves `point` onto the boundary between `inside` (not adversarial) and `outside` along the chosen norm's path, at fraction t. */
export function project(norm: Norm, original: Float32Array, point: Float32Array, t: number): Float32Array {
  return norm === 'l2' ? blend(original, point, t) : clipToBall(original, point, t);
}

/** Keeps a perturbation within radius eps around `original` in the chosen norm, then inside [0,1]. */
export function projectToBall(norm: Norm, original: Float32Array, candidate: Float32Array, eps: number): Float32Array {
  let out: Float32Array;
  if (norm === 'linf') out = clipToBall(original, candidate, eps);
  else {
    const d = l2Distance(candidate, original);
    out = d > eps ? blend(original, candidate, eps / d) : candidate.slice();
  }
  return clip01(out);
}
