/** Sprig's path functions: Go's `path` package (and `path/filepath`, the same on Linux, for the os* names). */
import { type FuncMap, goFunc } from './functions.js';

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

export const sprigPathFuncs: FuncMap = Object.fromEntries(
  Object.entries(fns).flatMap(([name, f]) => {
    const fn = goFunc(['string'], f);
    return [
      [name, fn],
      [`os${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`, fn],
    ];
  }),
);
