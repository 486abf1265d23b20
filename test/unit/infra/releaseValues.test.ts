import { describe, expect, it } from 'vitest';
import {
  InvalidHelmValuesError,
  SPEC_DEFAULTS,
  releaseValues,
  sameValues,
} from '../../../activities/infra/releaseValues.js';

describe('releaseValues', () => {
  it('puts the spec defaults under the computed values under the user helmValues', () => {
    const values = releaseValues({
      component: 'metal3',
      helmValues: 'ironic:\n  image:\n    tag: release-32.0\n  kernelParams: console=ttyS1\n',
      computedValues: {},
    });
    expect(values).toEqual({
      ironic: { image: { repository: 'quay.io/metal3-io/ironic', tag: 'release-32.0' }, kernelParams: 'console=ttyS1' },
      ipaDownloader: SPEC_DEFAULTS.metal3.ipaDownloader,
      bareMetalOperator: SPEC_DEFAULTS.metal3.bareMetalOperator,
    });
  });

  it('fills in the Ironic URLs of the Metal3 release unless the user set them, keeping the rest of the proxy section', () => {
    const ironicFrom = { release: 'metal3', namespace: 'metal3-system' };
    expect(releaseValues({ component: 'dhcp', computedValues: {}, ironicFrom }).proxy).toEqual({
      ironicHttpUrl: 'http://metal3-ironic.metal3-system.svc:6180',
      ironicApiUrl: 'http://metal3-ironic.metal3-system.svc:6385',
    });
    const own = releaseValues({
      component: 'dhcp',
      helmValues: 'proxy:\n  ironicApiUrl: https://ironic.example:6385\n  callbackPort: 9081\n',
      computedValues: {},
      ironicFrom,
    });
    expect(own.proxy).toEqual({
      ironicHttpUrl: 'http://metal3-ironic.metal3-system.svc:6180',
      ironicApiUrl: 'https://ironic.example:6385',
      callbackPort: 9081,
    });
  });

  it('follows Ironic ports changed in the Metal3 helmValues', () => {
    const values = releaseValues({
      component: 'dhcp',
      computedValues: {},
      ironicFrom: {
        release: 'metal3',
        namespace: 'ns',
        metal3HelmValues: 'ironic:\n  apiPort: 7385\n  httpPort: "7180"\n',
      },
    });
    expect(values.proxy).toEqual({
      ironicHttpUrl: 'http://metal3-ironic.ns.svc:7180',
      ironicApiUrl: 'http://metal3-ironic.ns.svc:7385',
    });
  });

  it('lets the user namespace of Multus win over the provider namespace', () => {
    const values = releaseValues({
      component: 'multus',
      helmValues: 'namespace: kube-system\n',
      computedValues: { namespace: 'metal3-system' },
    });
    expect(values.namespace).toBe('kube-system');
  });

  it('names the component when helmValues are not a YAML mapping', () => {
    expect(() => releaseValues({ component: 'dhcp', helmValues: '- a\n- b\n', computedValues: {} })).toThrow(
      InvalidHelmValuesError,
    );
    expect(() => releaseValues({ component: 'dhcp', helmValues: 'a: [\n', computedValues: {} })).toThrow(
      /spec\.metal3\.deploy\.dhcp\.helmValues is not valid YAML/,
    );
  });
});

describe('sameValues', () => {
  it('ignores key order and nothing else', () => {
    expect(sameValues({ a: 1, b: { c: [1, { d: 2 }] } }, { b: { c: [1, { d: 2 }] }, a: 1 })).toBe(true);
    expect(sameValues({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameValues({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameValues({ a: '1' }, { a: 1 })).toBe(false);
  });
});
