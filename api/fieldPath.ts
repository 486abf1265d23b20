/** A path into a document: object keys and list indexes, as zod reports them. */
export type FieldPath = readonly PropertyKey[];

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Renders a path the way users read it: `spec.metal3.nodeTypes[1].resources.memory`. Keys that
 * contain dots or slashes (property keys, extended resources) are quoted so the path stays unambiguous:
 * `properties["vcluster.com/os-image"]`.
 */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'symbol') out += `[${segment.toString()}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
