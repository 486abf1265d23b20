import { z } from 'zod';
import { didYouMean } from '../suggest.js';
import {
  HOST_ANNOTATION_HINTS,
  LOCATION_NAMES,
  isReservedKey,
  propertyKeys,
  propertySpec,
  type PropertyLocation,
} from './catalogue.js';
import { PropertyValueError } from './values.js';
import { networkConsistencyProblems } from './networkConsistency.js';
import { checksumTypeMismatch } from './image.js';
import { PropertyKeys } from './keys.js';

export interface PropertyProblem {
  readonly key: string;
  readonly message: string;
}

function listLocations(locations: readonly PropertyLocation[]): string {
  const names = locations.map((l) => LOCATION_NAMES[l]);
  const last = names.pop() ?? '';
  return names.length > 0 ? `${names.join(', ')} or ${last}` : last;
}

/**
 * How to treat keys under our prefixes that the catalogue does not know: an error in maps the user
 * writes for us, ignored in metadata annotations that the platform also writes into. Unknown
 * `vcluster.com/*` keys are never errors: they are the platform's (see PLATFORM_PREFIX).
 */
export type UnknownKeys = 'reject' | 'ignore';

/** Problems with one property written at `location`; undefined when the value is acceptable. */
export function propertyProblem(
  key: string,
  value: string,
  location: PropertyLocation,
  unknownKeys: UnknownKeys = 'reject',
): string | undefined {
  const spec = propertySpec(key);
  if (!spec) {
    if (unknownKeys === 'ignore' || !isReservedKey(key)) return undefined;
    const hint = HOST_ANNOTATION_HINTS[key];
    if (hint !== undefined)
      return `${key} is a BareMetalHost annotation that the provider writes, not a property; ${hint}`;
    return `unknown property ${JSON.stringify(key)}${didYouMean(key, propertyKeys())}`;
  }
  if (!spec.where.includes(location)) {
    return `${key} may only be set on ${listLocations(spec.where)}, not on ${LOCATION_NAMES[location]}`;
  }
  try {
    spec.check(value, key);
    return undefined;
  } catch (error) {
    if (error instanceof PropertyValueError) return error.message;
    throw error;
  }
}

/** Problems with every entry of a property map (properties or annotations) written at `location`. */
export function propertyMapProblems(
  map: Readonly<Record<string, string>>,
  location: PropertyLocation,
  unknownKeys: UnknownKeys = 'reject',
): PropertyProblem[] {
  return Object.entries(map).flatMap(([key, value]) => {
    const message = propertyProblem(key, value, location, unknownKeys);
    return message === undefined ? [] : [{ key, message }];
  });
}

/** Keys set both as a property and as an annotation of the same object: ambiguous, so rejected. */
export function duplicatedKeys(
  properties: Readonly<Record<string, string>> | undefined,
  annotations: Readonly<Record<string, string>> | undefined,
): string[] {
  if (!properties || !annotations) return [];
  return Object.keys(annotations).filter((key) => Object.hasOwn(properties, key));
}

export function duplicateMessage(key: string): string {
  return `${key} is set both in properties and in annotations; keep only one`;
}

/** The checksum type against the checksum's length, where one map sets both (as an OSImage does). */
function imageConsistencyProblems(map: Readonly<Record<string, string>>): PropertyProblem[] {
  const message = checksumTypeMismatch(map[PropertyKeys.imageChecksum], map[PropertyKeys.imageChecksumType]);
  return message === undefined ? [] : [{ key: PropertyKeys.imageChecksumType, message }];
}

/** A string map of properties whose entries are checked against the catalogue for `location`. */
export function propertyMap(location: PropertyLocation, unknownKeys: UnknownKeys = 'reject') {
  return z.record(z.string(), z.string()).superRefine((map, ctx) => {
    const problems = propertyMapProblems(map, location, unknownKeys);
    // Between keys only once each value is right on its own; otherwise one mistake is reported twice.
    if (problems.length === 0) problems.push(...networkConsistencyProblems(map), ...imageConsistencyProblems(map));
    for (const { key, message } of problems) ctx.addIssue({ code: 'custom', path: [key], message });
  });
}
