/** Levenshtein distance; small inputs only (field names, property keys). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The candidates closest to `input`, if close enough to be a plausible typo. */
export function closestMatches(input: string, candidates: Iterable<string>): string[] {
  const limit = Math.max(2, Math.floor(input.length / 3));
  let best = Infinity;
  let matches: string[] = [];
  for (const candidate of candidates) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (distance > limit || distance > best) continue;
    if (distance < best) {
      best = distance;
      matches = [];
    }
    matches.push(candidate);
  }
  return matches;
}

/** `; did you mean "a"?` or `; did you mean "a" or "b"?`, or '' when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const matches = closestMatches(input, candidates);
  return suggestionSuffix(matches);
}

export function suggestionSuffix(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const quoted = suggestions.map((s) => JSON.stringify(s));
  const last = quoted.pop() ?? '';
  return `; did you mean ${quoted.length > 0 ? `${quoted.join(', ')} or ${last}` : last}?`;
}
