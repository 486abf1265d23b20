/**
 * Sprig's path functions: Go's `path` package (and `path/filepath`, the same on Linux, for the os*
 * names); and its URL functions on Go's net/url (goUrl.ts).
 */
import { FuncError } from './errors.js';
import { type FuncMap, goFunc } from './functions.js';
import { UrlError, type GoURL, hostname, parseUrl, urlString, userString } from './goUrl.js';
import { kindForList } from './sprigReflect.js';
import { mapGet, mapHas, newMap, setKey } from './values.js';

/** path.Clean: the shortest equivalent path by purely lexical processing. */
export function clean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** path.Base */
function base(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** path.Dir */
function dir(p: string): string {
  return clean(p.slice(0, p.lastIndexOf('/') + 1));
}

/** path.Ext */
function ext(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

const isAbs = (p: string): boolean => p.startsWith('/');

const fns = { base, dir, clean, ext, isAbs };

function urlParse(v: string): Record<string, unknown> {
  let u: GoURL;
  try {
    u = parseUrl(v);
  } catch (e) {
    if (e instanceof UrlError) throw new FuncError(`unable to parse url: ${e.message}`);
    throw e;
  }
  const d = newMap();
  const entries: [string, string][] = [
    ['scheme', u.scheme],
    ['host', u.host],
    ['hostname', hostname(u.host)],
    ['path', u.path],
    ['query', u.rawQuery],
    ['opaque', u.opaque],
    ['fragment', u.fragment],
    ['userinfo', u.user === undefined ? '' : userString(u.user)],
  ];
  for (const [k, value] of entries) setKey(d, k, value);
  return d;
}

/** Sprig's dictGetOrEmpty: a missing key is "", a value of another kind than string a panic. */
function field(d: Record<string, unknown>, key: string): string {
  if (!mapHas(d, key)) return '';
  const v = mapGet(d, key);
  const kind = kindForList(v);
  if (typeof v !== 'string')
    throw new FuncError(`unable to parse ${key} key, must be of type string, but ${kind} found`);
  return v;
}

function urlJoin(d: Record<string, unknown> | null): string {
  const m = d ?? newMap();
  const userinfo = field(m, 'userinfo');
  let user: GoURL['user'];
  if (userinfo !== '') {
    try {
      user = parseUrl(`proto://${userinfo}@host`).user;
    } catch (e) {
      if (e instanceof UrlError) throw new FuncError(`unable to parse userinfo in dict: ${e.message}`);
      throw e;
    }
  }
  return urlString({
    scheme: field(m, 'scheme'),
    host: field(m, 'host'),
    path: field(m, 'path'),
    rawQuery: field(m, 'query'),
    opaque: field(m, 'opaque'),
    fragment: field(m, 'fragment'),
    user,
    omitHost: false,
    forceQuery: false,
  });
}

const pathFuncs: FuncMap = Object.fromEntries(
  Object.entries(fns).flatMap(([name, f]) => {
    const fn = goFunc(['string'], f);
    return [
      [name, fn],
      [`os${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`, fn],
    ];
  }),
);

export const sprigPathFuncs: FuncMap = {
  urlParse: goFunc(['string'], urlParse),
  urlJoin: goFunc(['map[string]interface {}'], urlJoin),
  ...pathFuncs,
};
