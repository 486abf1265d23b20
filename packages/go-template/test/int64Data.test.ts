/**
 * Go ints beyond 2^53 held in data as bigints, including a typed struct's int field: the Go-rendered
 * cases (27-regex-flags-int64-data) cover plain data; typed values are built only by toGoValue.
 */
import { describe, expect, it } from 'vitest';
import { type GoType, renderTemplate, toGoValue } from '../src/index.js';

const META: GoType = {
  kind: 'struct',
  name: 'v1.ObjectMeta',
  fields: [
    { name: 'Name', json: 'name', type: { kind: 'string' } },
    { name: 'Generation', json: 'generation', type: { kind: 'int' } },
  ],
};

describe('integers beyond 2^53 in data', () => {
  it('keeps a typed int field exact through printing, comparison and Sprig arithmetic', () => {
    const meta = toGoValue(META, { name: 'a', generation: 9007199254740993n });
    const out = renderTemplate(
      't',
      '{{ .Generation }}|{{ printf "%T" .Generation }}|{{ eq .Generation 9007199254740992 }}|{{ add1 .Generation }}',
      meta,
    );
    expect(out).toBe('9007199254740993|int|false|9007199254740994');
  });

  it('counts seq and until past 2^53 one by one (a JS number would stop at 2^53 and never end)', () => {
    const out = renderTemplate('t', '{{ seq .from .to }}|{{ len (untilStep .from .to 1) }}', {
      from: 9007199254740991n,
      to: 9007199254740994n,
    });
    expect(out).toBe('9007199254740991 9007199254740992 9007199254740993 9007199254740994|3');
  });
});
