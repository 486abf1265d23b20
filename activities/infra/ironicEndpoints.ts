import type { Values } from './releaseValues.js';

/** The Metal3 chart's Ironic ports unless its values change them (`ironic.apiPort`, `ironic.httpPort`). */
const DEFAULT_PORTS = { api: 6385, http: 6180 };

function port(value: unknown, fallback: number): number {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(parsed) && parsed > 0 && parsed < 65536 ? parsed : fallback;
}

/**
 * The in-cluster URLs of the Metal3 release's Ironic: its Service is `<release>-ironic` in the
 * release namespace, with the ports the Metal3 values give it.
 */
export function ironicUrls(
  release: string,
  namespace: string,
  metal3Values: Values = {},
): { ironicHttpUrl: string; ironicApiUrl: string } {
  const ironic = (
    typeof metal3Values.ironic === 'object' && metal3Values.ironic !== null ? metal3Values.ironic : {}
  ) as Values;
  const host = `${release}-ironic.${namespace}.svc`;
  return {
    ironicHttpUrl: `http://${host}:${port(ironic.httpPort, DEFAULT_PORTS.http)}`,
    ironicApiUrl: `http://${host}:${port(ironic.apiPort, DEFAULT_PORTS.api)}`,
  };
}
