import { isLabelValue, labelKeyProblem, type LabelSelector } from '../api/labelSelector.js';

/**
 * The `labelSelector` query parameter for a selector (`a=b,c in (d,e),!f`), so a list is narrowed
 * on the server; matching in memory is `selectorMatches` in api/labelSelector.ts.
 */
export function labelSelectorQuery(selector: LabelSelector): string {
  const terms = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const req of selector.matchExpressions ?? []) {
    const values = (req.values ?? []).join(',');
    switch (req.operator) {
      case 'In':
        terms.push(`${req.key} in (${values})`);
        break;
      case 'NotIn':
        terms.push(`${req.key} notin (${values})`);
        break;
      case 'Exists':
        terms.push(req.key);
        break;
      case 'DoesNotExist':
        terms.push(`!${req.key}`);
        break;
    }
  }
  return terms.join(',');
}

/**
 * `a=b,c=d` for labels that must all match, for calls whose reach the selector bounds (a collection
 * delete). Throws, naming the label, on no labels, a bad key, or an empty or invalid value: each
 * would widen or break the selector.
 */
export function exactLabelSelector(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) throw new Error('a label selector for this call needs at least one label');
  for (const [key, value] of entries) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) throw new Error(keyProblem);
    if (value === '' || !isLabelValue(value))
      throw new Error(`label ${JSON.stringify(key)}: ${JSON.stringify(value)} is not a non-empty label value`);
  }
  return entries.map(([key, value]) => `${key}=${value}`).join(',');
}
