import type { LocatedNote } from '../documentNotes.js';
import { PLATFORM_PREFIX, isUnusedPlatformKey, propertyKeys } from '../properties/catalogue.js';
import { didYouMean } from '../suggest.js';
import type { LocatedDocument } from '../validateText.js';
import { propertyMapsOf } from './propertyMaps.js';

/**
 * A warning at each `vcluster.com/*` key this provider does not read. Such keys belong to the
 * platform, which may read them, so they are not errors; but a typo of one of ours looks the same, so
 * the closest key this provider reads is suggested.
 */
export function unusedPlatformKeyWarnings(documents: readonly LocatedDocument[]): LocatedNote[] {
  const ours = propertyKeys().filter((key) => key.startsWith(PLATFORM_PREFIX));
  return documents.flatMap(({ file, source, document }) =>
    propertyMapsOf(document).flatMap(({ path, map }) =>
      Object.keys(map)
        .filter(isUnusedPlatformKey)
        .map((key) => {
          const keyPath = [...path, key];
          const message = `${key} is not used by this provider (${PLATFORM_PREFIX}* keys belong to the platform)${didYouMean(key, ours)}`;
          return {
            severity: 'warning' as const,
            file,
            line: source.lineOf(keyPath),
            issue: { path: keyPath, message },
          };
        }),
    ),
  );
}
