import { readFileSync } from 'node:fs';
import { ABSENT, RISING, type Recording } from './normalize.js';

/**
 * A BareMetalHost as the real BMO of a recording left it in `state`: each recorded field's last value while
 * the host was in that state, put back together (`status.hardware.nics[0].mac` and the like), named `name`.
 */
export function recordedHost(recordingFile: URL, state: string, name = 'recorded-host'): Record<string, unknown> {
  const recording = JSON.parse(readFileSync(recordingFile, 'utf8')) as Recording;
  const segment = recording.host.segments.findLast((s) => s.state === state);
  if (!segment) throw new Error(`${recordingFile.pathname} never shows a host in state "${state}"`);
  const host: Record<string, unknown> = {};
  for (const [path, values] of Object.entries(segment.fields)) {
    // A count that rose is recorded as its first value and RISING: the first stands for it.
    const value = values.findLast((v) => v !== RISING);
    if (value !== ABSENT) setPath(host, path.split(/\.|\[(\d+)\]/).filter(Boolean), value);
  }
  setPath(host, ['apiVersion'], 'metal3.io/v1alpha1');
  setPath(host, ['kind'], 'BareMetalHost');
  setPath(host, ['metadata', 'name'], name);
  setPath(host, ['metadata', 'namespace'], 'metal3-system');
  return host;
}

function setPath(into: Record<string, unknown>, keys: string[], value: unknown): void {
  let node: Record<string, unknown> = into;
  for (const [i, key] of keys.entries()) {
    if (i === keys.length - 1) {
      node[key] = structuredClone(value);
      return;
    }
    const index = /^\d+$/.test(keys[i + 1] ?? '');
    node[key] ??= index ? [] : {};
    node = node[key] as Record<string, unknown>;
  }
}
