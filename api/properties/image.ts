import { CHECKSUM_HEX_LENGTH, type ChecksumType } from './catalogue.js';
import { PropertyKeys } from './keys.js';

/** The image fields BMO needs, resolved from properties. */
export interface ImageProperties {
  readonly url: string;
  readonly checksum: string;
  /** Absent when the checksum is a URL: BMO then detects the type itself. */
  readonly checksumType?: ChecksumType;
}

export type ImagePropertiesResult =
  | { readonly ok: true; readonly image: ImageProperties }
  | { readonly ok: false; readonly problems: readonly { key: string; message: string }[] };

/**
 * Reads url, checksum and checksum type from one property set (an OSImage's or a Machine's). The
 * type, when unset, is detected from the length of a hex checksum.
 */
export function readImageProperties(properties: Readonly<Record<string, string | undefined>>): ImagePropertiesResult {
  const url = properties[PropertyKeys.imageUrl];
  const checksum = properties[PropertyKeys.imageChecksum];
  const declared = properties[PropertyKeys.imageChecksumType] as ChecksumType | undefined;
  const problems: { key: string; message: string }[] = [];
  if (url === undefined) problems.push({ key: PropertyKeys.imageUrl, message: `${PropertyKeys.imageUrl} is not set` });
  if (checksum === undefined) {
    problems.push({ key: PropertyKeys.imageChecksum, message: `${PropertyKeys.imageChecksum} is not set` });
  }
  if (url === undefined || checksum === undefined) return { ok: false, problems };
  if (isChecksumUrl(checksum)) return { ok: true, image: { url, checksum, checksumType: declared } };
  const mismatch = checksumTypeMismatch(checksum, declared);
  if (mismatch !== undefined)
    return { ok: false, problems: [{ key: PropertyKeys.imageChecksumType, message: mismatch }] };
  return { ok: true, image: { url, checksum, checksumType: declared ?? detectChecksumType(checksum) } };
}

/** Metal3 also takes the URL of a checksum file, whose type it detects itself. */
function isChecksumUrl(checksum: string): boolean {
  return /^https?:\/\//.test(checksum);
}

function detectChecksumType(checksum: string): ChecksumType | undefined {
  return (Object.keys(CHECKSUM_HEX_LENGTH) as ChecksumType[]).find(
    (type) => CHECKSUM_HEX_LENGTH[type] === checksum.length,
  );
}

/**
 * Why a declared checksum type does not fit a hex checksum's length; undefined when it fits, when
 * either is unset or when the checksum is a URL.
 */
export function checksumTypeMismatch(checksum: string | undefined, declared: string | undefined): string | undefined {
  if (checksum === undefined || declared === undefined || isChecksumUrl(checksum)) return undefined;
  if (!(declared in CHECKSUM_HEX_LENGTH) || detectChecksumType(checksum) === declared) return undefined;
  const expected = CHECKSUM_HEX_LENGTH[declared as ChecksumType];
  return `${PropertyKeys.imageChecksumType} is ${declared} but the checksum has ${checksum.length} hex digits, not ${expected}`;
}
