import { describe, expect, it } from 'vitest';
import {
  QuantityError,
  compareQuantities,
  parseQuantity,
  quantityFromInteger,
  type Quantity,
} from '../../../api/quantity.js';

const GI = 2n ** 30n;

describe('Kubernetes quantities are parsed exactly', () => {
  it.each<[string | number, bigint, bigint]>([
    ['128Gi', 128n * GI, 1n],
    ['500m', 1n, 2n],
    ['32', 32n, 1n],
    [32, 32n, 1n],
    ['1e3', 1000n, 1n],
    ['1E-2', 1n, 100n],
    ['0.5', 1n, 2n],
    ['.5', 1n, 2n],
    ['5.', 5n, 1n],
    ['1.5Gi', 3n * 2n ** 29n, 1n],
    ['1Ki', 1024n, 1n],
    ['2Ei', 2n * 2n ** 60n, 1n],
    ['100k', 100_000n, 1n],
    ['3M', 3_000_000n, 1n],
    ['1G', 1_000_000_000n, 1n],
    ['4T', 4n * 10n ** 12n, 1n],
    ['0.1', 1n, 10n],
    ['250m', 1n, 4n],
    ['+7', 7n, 1n],
    ['-1', -1n, 1n],
    ['0', 0n, 1n],
  ])('%s', (text, numerator, denominator) => {
    expect(parseQuantity(text)).toEqual({ numerator, denominator });
  });

  it.each<[string, string[]]>([
    ['128GB', ['128G', '128Gi']],
    ['128gi', ['128Gi']],
    ['2 Gi', ['2Gi']],
    ['1KiB', ['1Ki']],
    ['12kb', ['12k', '12Ki']],
    ['lots', []],
    ['', []],
    ['1.2.3', []],
    ['Gi', []],
  ])('rejects %j, suggesting %j', (text, suggestions) => {
    expect(() => parseQuantity(text)).toThrow(QuantityError);
    try {
      parseQuantity(text);
    } catch (error) {
      expect((error as QuantityError).suggestions).toEqual(suggestions);
    }
  });

  it('compares without rounding: 0.5 = 500m, 1Gi > 1G, 1Mi = 1048576', () => {
    const q = (text: string): Quantity => parseQuantity(text);
    expect(compareQuantities(q('0.5'), q('500m'))).toBe(0);
    expect(compareQuantities(q('1Gi'), q('1G'))).toBe(1);
    expect(compareQuantities(q('1Mi'), quantityFromInteger(1_048_576))).toBe(0);
    expect(compareQuantities(q('999m'), quantityFromInteger(1))).toBe(-1);
  });
});
