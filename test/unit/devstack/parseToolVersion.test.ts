import { describe, expect, it } from 'vitest';
import { parseToolVersion } from '../../../devstack/toolVersion.js';

// What the real binaries print for their version flag.
describe('parseToolVersion', () => {
  it.each([
    ['etcd Version: 3.4.23\nGit SHA: Not provided\nGo Version: go1.19.8\nGo OS/Arch: linux/amd64', '3.4.23', 3, 4],
    ['Kubernetes v1.34.4', '1.34.4', 1, 34],
    ['Client Version: v1.32.4-dispatcher\nKustomize Version: v5.5.0', '1.32.4-dispatcher', 1, 32],
    [
      'Client Version: version.Info{Major:"1", Minor:"27", GitVersion:"v1.27.3", GoVersion:"go1.20.5"}',
      '1.27.3',
      1,
      27,
    ],
    ['v3.19.0+g3d8990f', '3.19.0+g3d8990f', 3, 19],
    ['v3.19', '3.19', 3, 19],
    ['temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)', '1.5.1', 1, 5],
    ['temporal version 0.0.0-DEV (Server 1.29.1, UI 2.42.1)', '0.0.0-DEV', 0, 0],
    ['temporal-sql-tool version 1.29.1', '1.29.1', 1, 29],
  ])('reads %j', (output, text, major, minor) => {
    expect(parseToolVersion(output)).toEqual({ text, major, minor });
  });

  it('finds none in output without a version, nor inside a word such as go1.24', () => {
    expect(parseToolVersion('usage: etcd [flags]')).toBeUndefined();
    expect(parseToolVersion('built with go1.24.9')).toBeUndefined();
  });
});
