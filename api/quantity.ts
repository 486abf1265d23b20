import { suggestionSuffix } from './suggest.js';

/**
 * Kubernetes resource quantities (`128Gi`, `500m`, `32`, `1e3`, `0.5`) parsed exactly, as a fraction
 * of two bigints, so that comparing a request with a host's inventory never suffers rounding.
 * Grammar: https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */

export interface Quantity {
  readonly numerator: bigint;
  /** Always positive; the fraction is kept reduced. */
  readonly denominator: bigint;
}

const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[mkMGTPE]?)$/;

const BINARY_EXPONENT: Record<string, bigint> = { Ki: 10n, Mi: 20n, Gi: 30n, Ti: 40n, Pi: 50n, Ei: 60n };
const DECIMAL_EXPONENT: Record<string, number> = { m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

export class QuantityError extends Error {
  constructor(
    readonly text: string,
    readonly suggestions: readonly string[],
  ) {
    const hint = suggestionSuffix(suggestions);
    super(`${JSON.stringify(text)} is not a Kubernetes quantity${hint}`);
    this.name = 'QuantityError';
  }
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function fraction(numerator: bigint, denominator: bigint): Quantity {
  const divisor = gcd(numerator, denominator) || 1n;
  return { numerator: numerator / divisor, denominator: denominator / divisor };
}

/** Parses a quantity; integers (as YAML may give them) are accepted like their decimal text. */
export function parseQuantity(input: string | number): Quantity {
  const text = typeof input === 'number' ? String(input) : input;
  const match = QUANTITY.exec(text);
  if (!match) throw new QuantityError(text, quantitySuggestions(text));
  const [, sign = '', number = '', suffix = ''] = match;
  const [whole = '', decimals = ''] = number.split('.');
  let numerator = BigInt(`${whole}${decimals}` || '0') * (sign === '-' ? -1n : 1n);
  let denominator = 10n ** BigInt(decimals.length);
  const binary = BINARY_EXPONENT[suffix];
  const decimal = /^[eE]/.test(suffix) ? Number(suffix.slice(1)) : DECIMAL_EXPONENT[suffix];
  if (binary !== undefined) numerator *= 2n ** binary;
  else if (decimal !== undefined && decimal >= 0) numerator *= 10n ** BigInt(decimal);
  else if (decimal !== undefined) denominator *= 10n ** BigInt(-decimal);
  return fraction(numerator, denominator);
}

export function quantityFromInteger(value: bigint | number): Quantity {
  return { numerator: BigInt(value), denominator: 1n };
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function isWholeNumber(q: Quantity): boolean {
  return q.denominator === 1n;
}

/**
 * Likely intended spellings of a malformed quantity: `128GB` → `128G` or `128Gi`, `128gi` → `128Gi`,
 * `2 Gi` → `2Gi`, `1KiB` → `1Ki`. Only suggestions that are themselves valid are offered.
 */
export function quantitySuggestions(text: string): string[] {
  const compact = text.replace(/\s+/g, '');
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+))([a-zA-Z]+)$/.exec(compact);
  if (!match) return compact !== text && QUANTITY.test(compact) ? [compact] : [];
  const [, number = '', unit = ''] = match;
  const letter = /^([kmgtpe])(i)?b?$/i.exec(unit);
  if (!letter) return [];
  const base = (letter[1] ?? '').toUpperCase();
  const decimal = base === 'K' ? 'k' : base;
  const binary = `${base}i`;
  const candidates = letter[2] ? [`${number}${binary}`] : [`${number}${decimal}`, `${number}${binary}`];
  return candidates.filter((c) => c !== text && QUANTITY.test(c));
}
