/**
 * What kind of user data a text is, decided the way cloud-init decides it: a MIME document when
 * "mime-version:" appears in its first 4096 characters, else by the header it starts with.
 */
export type UserDataFormat =
  | { readonly kind: 'empty' }
  /** `#cloud-config`, or a bare YAML mapping (the spec's user data is cloud-config directives). */
  | { readonly kind: 'cloudConfig' }
  | { readonly kind: 'mime' }
  /** Any other format cloud-init knows, to be sent as a MIME part of this content type. */
  | { readonly kind: 'part'; readonly contentType: string };

/** cloud-init's start-of-text markers, longest first so that `#cloud-config-archive` wins over `#cloud-config`. */
const HEADERS: readonly (readonly [string, string])[] = (
  [
    ['#cloud-config', 'text/cloud-config'],
    ['#cloud-config-archive', 'text/cloud-config-archive'],
    ['#cloud-config-jsonp', 'text/cloud-config-jsonp'],
    ['#cloud-boothook', 'text/cloud-boothook'],
    ['#include', 'text/x-include-url'],
    ['#include-once', 'text/x-include-once-url'],
    ['#part-handler', 'text/part-handler'],
    ['#upstart-job', 'text/upstart-job'],
    ['## template: jinja', 'text/jinja2'],
    ['#!', 'text/x-shellscript'],
  ] as const
).toSorted(([a], [b]) => b.length - a.length);

const MIME_SNIFF_LENGTH = 4096;

export function userDataFormat(text: string): UserDataFormat {
  if (text.trim() === '') return { kind: 'empty' };
  if (text.slice(0, MIME_SNIFF_LENGTH).toLowerCase().includes('mime-version:')) return { kind: 'mime' };
  const header = HEADERS.find(([prefix]) => text.startsWith(prefix));
  if (header === undefined || header[1] === 'text/cloud-config') return { kind: 'cloudConfig' };
  return { kind: 'part', contentType: header[1] };
}
