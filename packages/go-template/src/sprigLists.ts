/**
 * Sprig's list functions (list.go). The plain ones fail where Go panics, with the panic's message;
 * the `must` ones return the same message as their error. Results are `[]interface {}`.
 */
import { toInt } from './cast.js';
import { FuncError } from './errors.js';
import { type FuncMap, type GoFunc, goFunc } from './functions.js';
import { strslice, strval } from './sprig.js';
import { deepEqual, kindForList } from './sprigReflect.js';
import { compareGoStrings, isTrue, typedSlice } from './values.js';

/** The elements of a slice argument; otherwise `Cannot <what> on type <kind>` (Sprig's words). */
function elems(v: unknown, what: string): unknown[] {
  const kind = kindForList(v);
  if (kind !== 'slice') throw new FuncError(`${what} ${kind}`);
  return [...(v as unknown[])].map((e) => (e === undefined ? null : e));
}

const inList = (haystack: unknown[], needle: unknown): boolean => haystack.some((h) => deepEqual(needle, h));
const empty = (v: unknown): boolean => !isTrue(v === null ? undefined : v);

function chunk(size: number, list: unknown): unknown[][] {
  const l = elems(list, 'Cannot chunk type');
  // Go computes the chunk count in float64: a size of 0 or less makes a slice of negative length.
  if (size <= 0) throw new FuncError('runtime error: makeslice: len out of range');
  const out: unknown[][] = [];
  for (let i = 0; i < l.length; i += size) out.push(l.slice(i, i + size));
  return out;
}

function has(needle: unknown, haystack: unknown): boolean {
  if (haystack === null || haystack === undefined) return false;
  return inList(elems(haystack, 'Cannot find has on type'), needle);
}

function concat(...lists: unknown[]): unknown[] {
  return lists.flatMap((list) => {
    const kind = kindForList(list);
    if (kind !== 'slice') throw new FuncError(`Cannot concat type ${kind} as list`);
    return list;
  });
}

function sortAlpha(list: unknown): string[] {
  if (!Array.isArray(list)) return typedSlice([strval(list)], 'string');
  return typedSlice(strslice(list).sort(compareGoStrings), 'string');
}

/** `name` and `mustName` from one implementation (Sprig's pairs differ only in panicking vs returning the error). */
function pair(name: string, fn: GoFunc): FuncMap {
  return { [name]: fn, [`must${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`]: fn };
}

const listFn = (f: (l: unknown) => unknown): GoFunc => goFunc(['any'], f);

/** Sprig's slice; only as mustSlice, since text/template's builtin `slice` keeps its name. */
const mustSlice: GoFunc = goFunc(
  ['any', 'any'],
  (list: unknown, ...indices: unknown[]) => {
    const kind = kindForList(list);
    if (kind !== 'slice') throw new FuncError(`list should be type of slice or array but ${kind}`);
    const l = list as unknown[];
    if (l.length === 0) return null;
    const start = indices.length > 0 ? toInt(indices[0]) : 0;
    const end = indices.length < 2 ? l.length : toInt(indices[1]);
    if (start < 0 || end < start || end > l.length)
      throw new FuncError('reflect.Value.Slice: slice index out of bounds');
    return l.slice(start, end);
  },
  true,
);

export const sprigListFuncs: FuncMap = {
  mustSlice,
  tuple: goFunc(['any'], (...v: unknown[]) => v, true),
  ...pair(
    'append',
    goFunc(['any', 'any'], (l: unknown, v: unknown) => [...elems(l, 'Cannot push on type'), v]),
  ),
  ...pair(
    'push',
    goFunc(['any', 'any'], (l: unknown, v: unknown) => [...elems(l, 'Cannot push on type'), v]),
  ),
  ...pair(
    'prepend',
    goFunc(['any', 'any'], (l: unknown, v: unknown) => [v, ...elems(l, 'Cannot prepend on type')]),
  ),
  ...pair(
    'chunk',
    goFunc(['int', 'any'], (n: number, l: unknown) => typedSlice(chunk(n, l), '[]interface {}')),
  ),
  ...pair(
    'first',
    listFn((l) => elems(l, 'Cannot find first on type')[0] ?? null),
  ),
  ...pair(
    'last',
    listFn((l) => elems(l, 'Cannot find last on type').at(-1) ?? null),
  ),
  ...pair(
    'rest',
    listFn((l) => elems(l, 'Cannot find rest on type').slice(1)),
  ),
  ...pair(
    'initial',
    listFn((l) => elems(l, 'Cannot find initial on type').slice(0, -1)),
  ),
  ...pair(
    'reverse',
    listFn((l) => elems(l, 'Cannot find reverse on type').reverse()),
  ),
  ...pair(
    'compact',
    listFn((l) => elems(l, 'Cannot compact on type').filter((e) => !empty(e))),
  ),
  ...pair(
    'uniq',
    listFn((l) =>
      elems(l, 'Cannot find uniq on type').reduce<unknown[]>((out, e) => (inList(out, e) ? out : [...out, e]), []),
    ),
  ),
  ...pair(
    'without',
    goFunc(
      ['any', 'any'],
      (l: unknown, ...omit: unknown[]) => elems(l, 'Cannot find without on type').filter((e) => !inList(omit, e)),
      true,
    ),
  ),
  ...pair('has', goFunc(['any', 'any'], has)),
  concat: goFunc(['any'], concat, true),
  sortAlpha: goFunc(['any'], sortAlpha),
  all: goFunc(['any'], (...v: unknown[]) => v.every((x) => !empty(x)), true),
  any: goFunc(['any'], (...v: unknown[]) => v.some((x) => !empty(x)), true),
};
