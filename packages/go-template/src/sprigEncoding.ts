/** Sprig's hashes and base32, and the JSON functions (Sprig's, with Helm's fromJson). */
import { FuncError } from './errors.js';
import { type FuncMap, goFunc } from './functions.js';
import { adler32, base32Decode, base32Encode, sha1Hex, sha512Hex } from './hashes.js';
import { JsonSyntaxError, decodeJSON, indentJSON, unescapeHTML } from './jsonDecode.js';
import { marshalJSON } from './json.js';
import { isGoMap, newMap, setKey } from './values.js';

const str = (f: (s: string) => unknown) => goFunc(['string'], f);

/** Runs f; Go's error result becomes a FuncError with the same message. */
function must<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new FuncError((e as Error).message);
  }
}

/** Returns f() or the fallback where Sprig ignores the error. */
function orElse<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/** What json.Unmarshal says when the document is valid but not an object. */
function unmarshalTypeError(v: unknown): string {
  const kind = Array.isArray(v)
    ? 'array'
    : typeof v === 'string'
      ? 'string'
      : typeof v === 'boolean'
        ? 'bool'
        : 'number';
  return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
}

/** Helm's fromJson: a map; a document that fails to decode gives a map holding only `Error`. */
function helmFromJson(text: string): Record<string, unknown> {
  const m = newMap();
  try {
    const v = decodeJSON(text);
    if (v === null) return m;
    if (isGoMap(v)) return v;
    setKey(m, 'Error', unmarshalTypeError(v));
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    setKey(m, 'Error', e.message);
  }
  return m;
}

const rawJson = (v: unknown): string => unescapeHTML(marshalJSON(v));

export const sprigEncodingFuncs: FuncMap = {
  sha1sum: str(sha1Hex),
  sha512sum: str(sha512Hex),
  adler32sum: str(adler32),
  b32enc: str(base32Encode),
  b32dec: str((s) => {
    try {
      return base32Decode(s);
    } catch (e) {
      return (e as Error).message;
    }
  }),
  fromJson: str(helmFromJson),
  mustFromJson: str((s) => must(() => decodeJSON(s))),
  mustToJson: goFunc(['any'], (v: unknown) => must(() => marshalJSON(v))),
  toPrettyJson: goFunc(['any'], (v: unknown) => orElse(() => indentJSON(marshalJSON(v)), '')),
  mustToPrettyJson: goFunc(['any'], (v: unknown) => must(() => indentJSON(marshalJSON(v)))),
  toRawJson: goFunc(['any'], (v: unknown) => must(() => rawJson(v))),
  mustToRawJson: goFunc(['any'], (v: unknown) => must(() => rawJson(v))),
};
