import { DocumentFormatError } from './errors.js';

/** One part of a cloud-init MIME multipart document. */
export interface MimePart {
  readonly contentType: string;
  readonly body: string;
  readonly filename: string;
  /** Extra headers, e.g. cloud-init's Merge-Type. */
  readonly headers?: Readonly<Record<string, string>>;
}

const BOUNDARY_BASE = '==METAL3-PROVIDER-BOUNDARY==';

function isAscii(text: string): boolean {
  return !/[\u0080-\uffff]/.test(text);
}

/** A part's headers and body. The body ends with a line break, and one more ends the part (RFC 2046). */
function formatPart(part: MimePart, nl: string): string {
  const ascii = isAscii(part.body);
  const headers = {
    'Content-Type': `${part.contentType}; charset="${ascii ? 'us-ascii' : 'utf-8'}"`,
    'MIME-Version': '1.0',
    'Content-Transfer-Encoding': ascii ? '7bit' : '8bit',
    'Content-Disposition': `attachment; filename="${part.filename}"`,
    ...part.headers,
  };
  const body = part.body.endsWith('\n') ? part.body : `${part.body}\n`;
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return [...lines, '', body.replaceAll(/\r?\n/g, nl)].join(nl);
}

/** A boundary that occurs in none of the texts: a fixed one, numbered when a text holds it already. */
function chooseBoundary(texts: readonly string[]): string {
  for (let n = 0; ; n++) {
    const boundary = n === 0 ? BOUNDARY_BASE : `${BOUNDARY_BASE}${n}`;
    if (!texts.some((text) => text.includes(boundary))) return boundary;
  }
}

/**
 * A multipart/mixed document of `entities`: each either a part to format, or a whole MIME entity
 * (headers, blank line, body) taken as it is.
 */
export function buildMultipart(entities: readonly (MimePart | string)[]): string {
  const texts = entities.map((entity) => (typeof entity === 'string' ? entity : formatPart(entity, '\n')));
  const boundary = chooseBoundary(texts);
  const head = `Content-Type: multipart/mixed; boundary="${boundary}"\nMIME-Version: 1.0\n\n`;
  const parts = texts.map((text) => `--${boundary}\n${text}${text.endsWith('\n') ? '' : '\n'}\n`);
  return `${head}${parts.join('')}--${boundary}--\n`;
}

/** The top-level header block of a MIME document, unfolded, with lower-case names. */
function topHeaders(document: string): Map<string, string> {
  const end = /\r?\n\r?\n/.exec(document)?.index ?? document.length;
  const unfolded = document.slice(0, end).replaceAll(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function escapeRegExp(text: string): string {
  return text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Adds `part` to the user's MIME document: as its last part when it is multipart, else by wrapping
 * the single-part message and `part` in a new multipart document. Throws DocumentFormatError when
 * the document is multipart without a boundary or without its closing boundary line.
 */
export function addMimePart(document: string, part: MimePart): string {
  const contentType = topHeaders(document).get('content-type') ?? '';
  if (!/^multipart\//i.test(contentType)) return buildMultipart([document, part]);
  const boundary = boundaryOf(contentType);
  if (boundary === undefined) {
    throw new DocumentFormatError('is a MIME multipart document without a boundary parameter in its Content-Type');
  }
  const closing = new RegExp(`^--${escapeRegExp(boundary)}--[ \\t]*\\r?$`, 'm').exec(document);
  if (closing === null) {
    throw new DocumentFormatError(`is a MIME multipart document without its closing boundary line "--${boundary}--"`);
  }
  const nl = document.includes('\r\n') ? '\r\n' : '\n';
  const text = formatPart(part, nl);
  if (text.includes(`--${boundary}`)) {
    throw new DocumentFormatError(
      `uses the MIME boundary "${boundary}", which occurs in the part the platform adds; choose another boundary`,
    );
  }
  const inserted = `--${boundary}${nl}${text}${nl}`;
  return document.slice(0, closing.index) + inserted + document.slice(closing.index);
}
