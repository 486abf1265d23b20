import { describe, expect, it } from 'vitest';
import { ConfigValidationError } from '../../../api/issues.js';
import { PropertyKeys } from '../../../api/properties/keys.js';
import { PropertyValueError } from '../../../api/properties/values.js';
import type { PropertyOrigin } from '../../../api/resolve/origin.js';
import {
  isAdministratorOrigin,
  secretLocation,
  SecretReferenceRefusedError,
} from '../../../api/resolve/secretReference.js';

const PLATFORM = 'loft';
const OWN = 'tenant-a';
const OTHER = 'tenant-b';

const ORIGINS: Record<'administrator' | 'tenant', readonly PropertyOrigin[]> = {
  administrator: [
    { kind: 'nodeType', name: 'compute-node', field: 'properties' },
    { kind: 'nodeType', name: 'compute-node', field: 'annotations' },
    // Cluster-scoped and written only by the administrator, like the node types it holds.
    { kind: 'nodeProvider', name: 'metal3-provider' },
  ],
  tenant: [
    { kind: 'nodeClaim', name: `${OWN}/worker-1`, field: 'properties' },
    { kind: 'nodeClaim', name: `${OWN}/worker-1`, field: 'annotations' },
    { kind: 'nodeEnvironment', name: 'rack-1' },
  ],
};

const PROPERTIES = [
  PropertyKeys.joinSecret,
  PropertyKeys.userDataTemplateSecret,
  PropertyKeys.networkDataTemplateSecret,
];

function locate(property: string, value: string, origin: PropertyOrigin, claimNamespace = OWN) {
  return secretLocation({ property, value, origin, claimNamespace, platformNamespace: PLATFORM });
}

/** Every combination: bare/qualified × own/other tenant/platform namespace × administrator/tenant. */
const CASES: readonly {
  who: 'administrator' | 'tenant';
  value: string;
  /** `namespace/name` read, or 'refused'. */
  expected: string;
}[] = [
  // A bare name is looked up in the platform namespace, whoever set it and whatever the claim's namespace.
  { who: 'administrator', value: 'join', expected: `${PLATFORM}/join` },
  { who: 'tenant', value: 'join', expected: `${PLATFORM}/join` },
  { who: 'administrator', value: `${OWN}/join`, expected: `${OWN}/join` },
  { who: 'tenant', value: `${OWN}/join`, expected: `${OWN}/join` },
  { who: 'administrator', value: `${PLATFORM}/join`, expected: `${PLATFORM}/join` },
  { who: 'tenant', value: `${PLATFORM}/join`, expected: 'refused' },
  { who: 'administrator', value: `${OTHER}/join`, expected: 'refused' },
  { who: 'tenant', value: `${OTHER}/join`, expected: 'refused' },
];

describe('secretLocation', () => {
  for (const property of PROPERTIES) {
    for (const { who, value, expected } of CASES) {
      for (const origin of ORIGINS[who]) {
        it(`${property}: ${value} set by the ${who} (${origin.kind}${'field' in origin ? ` ${origin.field}` : ''}) → ${expected}`, () => {
          if (expected === 'refused') {
            expect(() => locate(property, value, origin)).toThrow(SecretReferenceRefusedError);
          } else {
            const [namespace, name] = expected.split('/');
            expect(locate(property, value, origin)).toEqual({ namespace, name });
          }
        });
      }
    }
  }

  it('classifies the NodeProvider and its node types as the administrator and claims and environments as the tenant', () => {
    expect(ORIGINS.administrator.every(isAdministratorOrigin)).toBe(true);
    expect(ORIGINS.tenant.some(isAdministratorOrigin)).toBe(false);
  });

  it('lets a claim in the platform namespace name its own namespace, as any claim may', () => {
    const tenant = ORIGINS.tenant[0] as PropertyOrigin;
    expect(locate(PropertyKeys.joinSecret, `${PLATFORM}/join`, tenant, PLATFORM)).toEqual({
      namespace: PLATFORM,
      name: 'join',
    });
  });

  it('refuses with a message naming the property, its origin and the rule, and nothing about the Secret', () => {
    const origin = ORIGINS.tenant[0] as PropertyOrigin;
    let error: unknown;
    try {
      locate(PropertyKeys.joinSecret, `${OTHER}/their-join`, origin);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const message = (error as Error).message;
    expect(message).toContain('metal3-provider.io/join-secret "tenant-b/their-join"');
    expect(message).toContain(`set in NodeClaim "${OWN}/worker-1" properties`);
    expect(message).toContain('set by a tenant');
    expect(message).toContain(`may name only the NodeClaim's own namespace "${OWN}"`);
    expect(message).toContain(`the platform namespace "${PLATFORM}"`);
    expect(message).not.toMatch(/exist|not found|missing/i);
  });

  it('tells the administrator the rule too when a node type names another tenant', () => {
    const origin = ORIGINS.administrator[0] as PropertyOrigin;
    expect(() => locate(PropertyKeys.userDataTemplateSecret, `${OTHER}/tpl`, origin)).toThrow(
      /set in node type "compute-node" properties\).*set by the administrator/s,
    );
  });

  it('lets NodeProvider properties name the platform namespace and says the administrator set them when refused', () => {
    const origin: PropertyOrigin = { kind: 'nodeProvider', name: 'metal3-provider' };
    expect(isAdministratorOrigin(origin)).toBe(true);
    expect(locate(PropertyKeys.joinSecret, `${PLATFORM}/join`, origin)).toEqual({ namespace: PLATFORM, name: 'join' });
    expect(() => locate(PropertyKeys.joinSecret, `${OTHER}/join`, origin)).toThrow(
      /set in NodeProvider "metal3-provider" properties\).*set by the administrator.*the NodeProvider or one of its node types/s,
    );
  });

  it('keeps the property format: malformed values and bare names where a namespace is required', () => {
    const origin = ORIGINS.administrator[0] as PropertyOrigin;
    expect(() => locate(PropertyKeys.joinSecret, 'a/b/c', origin)).toThrow(PropertyValueError);
    expect(() =>
      secretLocation({
        property: PropertyKeys.networkDataTemplateSecret,
        value: 'net',
        origin,
        claimNamespace: OWN,
        platformNamespace: PLATFORM,
        namespaceRequired: true,
      }),
    ).toThrow(PropertyValueError);
  });
});
