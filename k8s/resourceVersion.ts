/**
 * Orders two resourceVersions of objects of one resource: negative when `a` is older, zero when
 * equal, positive when newer; undefined when either is not a positive decimal integer without
 * leading zeros, the form Kubernetes guarantees comparable (KEP-5504, stable in 1.35; the etcd
 * revisions every earlier apiserver gives have that form too). Callers treat undefined as "cannot tell".
 */
export function compareResourceVersions(a: string, b: string): number | undefined {
  if (!COMPARABLE.test(a) || !COMPARABLE.test(b)) return undefined;
  // Longer is larger for integers without leading zeros; equal lengths compare as text.
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

const COMPARABLE = /^[1-9][0-9]*$/;
