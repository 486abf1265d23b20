/** Sprig's reflection functions (reflect.go) and Go's reflect.DeepEqual over the value model. */
import { FuncError } from './errors.js';
import { type FuncMap, goFunc } from './functions.js';
import { GoComplex, compareNumbers, elemTypeOf, isGoMap, kindOf, mapGet, mapHas, typeName } from './values.js';
import { GoStruct } from './values.js';

/** reflect.Kind's name: the basic type for numbers, `slice`, `map`, `struct`, `ptr`, `invalid` for nil. */
export function reflectKind(v: unknown): string {
  if (v === null || v === undefined) return 'invalid';
  // Values such as semver's *semver.Version are pointers to structs.
  if (v instanceof GoStruct && v.type.startsWith('*')) return 'ptr';
  const k = kindOf(v);
  switch (k) {
    case 'int':
    case 'uint':
    case 'float':
    case 'complex':
      return typeName(v);
    default:
      return k;
  }
}

/** `reflect.TypeOf(x).Kind()` for Sprig's list functions: nil is Go's nil-pointer panic. */
export function kindForList(v: unknown): string {
  if (v === null || v === undefined)
    throw new FuncError('runtime error: invalid memory address or nil pointer dereference');
  return reflectKind(v);
}

/** fmt's %T, including the struct types of typed values. */
export function goTypeOf(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  return typeName(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  if (goTypeOf(a) !== goTypeOf(b)) return false;
  if (a === b) return true;
  if (Array.isArray(a)) {
    const y = b as unknown[];
    return a.length === y.length && a.every((x, i) => deepEqual(x, y[i]));
  }
  if (a instanceof GoStruct) return a === b;
  if (a instanceof GoComplex) return a.re === (b as GoComplex).re && a.im === (b as GoComplex).im;
  const k = kindOf(a);
  if (k === 'int' || k === 'uint' || k === 'float') return compareNumbers(a, b) === 0;
  if (isGoMap(a) && isGoMap(b)) {
    if (elemTypeOf(a) !== elemTypeOf(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((key) => mapHas(b, key) && deepEqual(mapGet(a, key), mapGet(b, key)));
  }
  return false;
}

export const sprigReflectFuncs: FuncMap = {
  typeOf: goFunc(['any'], goTypeOf),
  typeIs: goFunc(['string', 'any'], (target: string, v: unknown) => target === goTypeOf(v)),
  typeIsLike: goFunc(['string', 'any'], (target: string, v: unknown) => {
    const t = goTypeOf(v);
    return target === t || '*' + target === t;
  }),
  kindOf: goFunc(['any'], reflectKind),
  kindIs: goFunc(['string', 'any'], (target: string, v: unknown) => target === reflectKind(v)),
  deepEqual: goFunc(['any', 'any'], deepEqual),
};
