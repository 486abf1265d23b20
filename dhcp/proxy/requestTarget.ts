/**
 * Validates the request target of a request a proxy is about to forward. Only origin-form targets
 * (`/path?query`) are accepted, and only paths that mean the same thing to every server that could
 * read them: no dot segments (plain or percent-encoded), no encoded `/`, `\` or `%` (which a second
 * decoding would turn into the first two), no empty segments, no control characters.
 */

export interface RequestTarget {
  /** The path as received (still percent-encoded); safe to append to an upstream base path. */
  path: string;
  /** The path segments, percent-decoded. */
  segments: string[];
  /** The query string as received, without `?`; '' when absent. */
  query: string;
}

export interface TargetRefusal {
  code: string;
  message: string;
}

export type TargetResult = { ok: true; target: RequestTarget } | { ok: false; refusal: TargetRefusal };

const refuse = (code: string, message: string): TargetResult => ({ ok: false, refusal: { code, message } });

const CONTROL = /[\0-\x20\x7f]/;

export function parseRequestTarget(raw: string | undefined): TargetResult {
  if (raw === undefined || raw === '') return refuse('empty-target', 'empty request target');
  if (!raw.startsWith('/')) {
    return refuse(
      'not-origin-form',
      'only origin-form request targets (/path) are served; this is not a forward proxy',
    );
  }
  if (raw.startsWith('//')) return refuse('not-origin-form', 'request target starts with "//"');
  if (CONTROL.test(raw)) return refuse('control-character', 'request target contains spaces or control characters');
  if (raw.includes('#')) return refuse('fragment', 'request target contains a fragment');
  const question = raw.indexOf('?');
  const path = question === -1 ? raw : raw.slice(0, question);
  const query = question === -1 ? '' : raw.slice(question + 1);
  if (path.includes('\\')) return refuse('backslash', 'path contains "\\"');
  if (/%(2f|5c)/i.test(path)) return refuse('encoded-separator', 'path contains an encoded "/" or "\\"');
  if (/%25/.test(path)) return refuse('double-encoding', 'path contains an encoded "%" (double encoding)');
  const segments: string[] = [];
  const rawSegments = path.slice(1).split('/');
  for (const [i, rawSegment] of rawSegments.entries()) {
    // A trailing slash leaves one empty last segment; anywhere else an empty segment is "//".
    if (rawSegment === '' && i < rawSegments.length - 1)
      return refuse('empty-segment', 'path contains an empty segment ("//")');
    let segment: string;
    try {
      segment = decodeURIComponent(rawSegment);
    } catch {
      return refuse('bad-encoding', 'path has malformed percent-encoding');
    }
    if (segment === '.' || segment === '..') return refuse('dot-segment', 'path contains a "." or ".." segment');
    if (CONTROL.test(segment.replace(/ /g, '')))
      return refuse('control-character', 'path contains an encoded control character');
    segments.push(segment);
  }
  return { ok: true, target: { path, segments, query } };
}
