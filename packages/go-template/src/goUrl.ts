/** Go's net/url Parse and URL.String, as Sprig's urlParse and urlJoin use them (over UTF-8 bytes). */
import { utf8Decode, utf8Encode } from './utf8.js';

export class UrlError extends Error {}

type Mode = 'path' | 'host' | 'userPassword' | 'fragment';

const isAlnum = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);

/** url.shouldEscape for one ASCII byte. */
function shouldEscape(c: string, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  if (mode === 'host' && `!$&'()*+,;=:[]<>"`.includes(c)) return false;
  if ('-_.~'.includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) {
    if (mode === 'path') return c === '?';
    if (mode === 'userPassword') return '@/?:'.includes(c);
    if (mode === 'fragment') return false;
  }
  if (mode === 'fragment' && '!()*'.includes(c)) return false;
  return true;
}

export function escape(s: string, mode: Mode): string {
  let out = '';
  for (const b of utf8Encode(s)) {
    const c = String.fromCharCode(b);
    if (b < 0x80 && !shouldEscape(c, mode)) out += c;
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

const goQuote = (s: string): string => JSON.stringify(s);

function unescape(s: string, mode: Mode): string {
  const bytes = [...utf8Encode(s)];
  const out: number[] = [];
  for (let i = 0; i < bytes.length;) {
    const c = String.fromCharCode(bytes[i] ?? 0);
    if (c === '%') {
      const hex = String.fromCharCode(bytes[i + 1] ?? 0, bytes[i + 2] ?? 0);
      if (i + 2 >= bytes.length || !/^[0-9A-Fa-f]{2}$/.test(hex)) {
        throw new UrlError(`invalid URL escape ${goQuote(utf8Decode(Uint8Array.from(bytes.slice(i, i + 3))))}`);
      }
      if (mode === 'host' && parseInt(hex[0] ?? '0', 16) < 8 && hex !== '25') {
        throw new UrlError(`invalid URL escape ${goQuote('%' + hex)}`);
      }
      out.push(parseInt(hex, 16));
      i += 3;
      continue;
    }
    if (mode === 'host' && (bytes[i] ?? 0) < 0x80 && shouldEscape(c, mode)) {
      throw new UrlError(`invalid character ${goQuote(c)} in host name`);
    }
    out.push(bytes[i] ?? 0);
    i++;
  }
  return utf8Decode(Uint8Array.from(out));
}

const validOptionalPort = (port: string): boolean => port === '' || /^:[0-9]*$/.test(port);

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new UrlError("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${goQuote(colonPort)} after host`);
  } else {
    const i = host.lastIndexOf(':');
    if (i !== -1 && !validOptionalPort(host.slice(i))) {
      throw new UrlError(`invalid port ${goQuote(host.slice(i))} after host`);
    }
  }
  return unescape(host, 'host');
}

export interface GoURL {
  scheme: string;
  opaque: string;
  /** undefined: no user info; password undefined: none set. */
  user: { username: string; password?: string } | undefined;
  host: string;
  path: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? '';
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new UrlError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

/** url.Parse; throws UrlError with Go's message (`parse "x": reason`). */
export function parseUrl(rawURL: string): GoURL {
  const hash = rawURL.indexOf('#');
  const u = hash < 0 ? rawURL : rawURL.slice(0, hash);
  const url: GoURL = {
    scheme: '',
    opaque: '',
    user: undefined,
    host: '',
    path: '',
    omitHost: false,
    forceQuery: false,
    rawQuery: '',
    fragment: '',
  };
  const wrap = (what: string, f: () => void): void => {
    try {
      f();
    } catch (e) {
      if (e instanceof UrlError) throw new UrlError(`parse ${goQuote(what)}: ${e.message}`);
      throw e;
    }
  };
  wrap(u, () => {
    // eslint-disable-next-line no-control-regex -- Go refuses ASCII control characters
    if (/[\x00-\x1f\x7f]/.test(u)) throw new UrlError('net/url: invalid control character in URL');
    if (u === '*') {
      url.path = '*';
      return;
    }
    let rest: string;
    [url.scheme, rest] = getScheme(u);
    url.scheme = url.scheme.toLowerCase();
    if (rest.endsWith('?') && rest.split('?').length === 2) {
      url.forceQuery = true;
      rest = rest.slice(0, -1);
    } else {
      const q = rest.indexOf('?');
      if (q >= 0) [rest, url.rawQuery] = [rest.slice(0, q), rest.slice(q + 1)];
    }
    if (!rest.startsWith('/')) {
      if (url.scheme !== '') {
        url.opaque = rest;
        return;
      }
      if ((rest.split('/')[0] ?? '').includes(':'))
        throw new UrlError('first path segment in URL cannot contain colon');
    }
    if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
      let authority = rest.slice(2);
      rest = '';
      const slash = authority.indexOf('/');
      if (slash >= 0) [authority, rest] = [authority.slice(0, slash), authority.slice(slash)];
      const at = authority.lastIndexOf('@');
      url.host = parseHost(at < 0 ? authority : authority.slice(at + 1));
      if (at >= 0) {
        const userinfo = authority.slice(0, at);
        if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new UrlError('net/url: invalid userinfo');
        const colon = userinfo.indexOf(':');
        url.user =
          colon < 0
            ? { username: unescape(userinfo, 'userPassword') }
            : {
                username: unescape(userinfo.slice(0, colon), 'userPassword'),
                password: unescape(userinfo.slice(colon + 1), 'userPassword'),
              };
      }
    } else if (url.scheme !== '' && rest.startsWith('/')) {
      url.omitHost = true;
    }
    url.path = unescape(rest, 'path');
  });
  if (hash >= 0) wrap(rawURL, () => (url.fragment = unescape(rawURL.slice(hash + 1), 'fragment')));
  return url;
}

export function userString(user: NonNullable<GoURL['user']>): string {
  const name = escape(user.username, 'userPassword');
  return user.password === undefined ? name : `${name}:${escape(user.password, 'userPassword')}`;
}

/** URL.Hostname */
export function hostname(host: string): string {
  let h = host;
  const colon = h.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(h.slice(colon))) h = h.slice(0, colon);
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/** URL.String */
export function urlString(u: GoURL): string {
  let buf = u.scheme === '' ? '' : u.scheme + ':';
  if (u.opaque !== '') buf += u.opaque;
  else {
    if ((u.scheme !== '' || u.host !== '' || u.user !== undefined) && !(u.omitHost && u.host === '' && !u.user)) {
      if (u.host !== '' || u.path !== '' || u.user !== undefined) buf += '//';
      if (u.user !== undefined) buf += userString(u.user) + '@';
      if (u.host !== '') buf += escape(u.host, 'host');
    }
    const path = escape(u.path, 'path');
    if (path !== '' && !path.startsWith('/') && u.host !== '') buf += '/';
    if (buf === '' && (path.split('/')[0] ?? '').includes(':')) buf += './';
    buf += path;
  }
  if (u.forceQuery || u.rawQuery !== '') buf += '?' + u.rawQuery;
  if (u.fragment !== '') buf += '#' + escape(u.fragment, 'fragment');
  return buf;
}
