import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { API_GROUP, API_GROUP_VERSION } from '../../api/objectMeta.js';

export const CLAIM_NAMESPACE = 'default';

export interface DemoClaim {
  name: string;
  nodeType: string;
  /** Pins the claim to a host (the one set to fail, for the Machine that ends Stuck). */
  server?: string;
}

export interface ClaimProgress {
  name: string;
  nodeType: string;
  phase: string;
  host?: string;
  address?: string;
  message?: string;
}

const claimsApi = (kubeConfig: KubeConfig) => kubeConfig.makeApiClient(CustomObjectsApi);
const where = { group: API_GROUP, version: 'v1', namespace: CLAIM_NAMESPACE, plural: 'nodeclaims' };

/** Applies the NodeClaims; the controller starts a Machine workflow for each. */
export async function requestMachines(kubeConfig: KubeConfig, provider: string, claims: DemoClaim[]): Promise<void> {
  for (const claim of claims) {
    await claimsApi(kubeConfig).createNamespacedCustomObject({
      ...where,
      body: {
        apiVersion: API_GROUP_VERSION,
        kind: 'NodeClaim',
        metadata: { name: claim.name, namespace: CLAIM_NAMESPACE },
        spec: {
          providerRef: provider,
          typeRef: claim.nodeType,
          ...(claim.server && { properties: { 'metal3.vcluster.com/server-name': claim.server } }),
        },
      },
    });
  }
}

interface ClaimObject {
  metadata: { name: string };
  spec: { typeRef?: string };
  status?: {
    phase?: string;
    bareMetalHost?: string;
    address?: string;
    conditions?: { type: string; message?: string }[];
  };
}

/** What the NodeClaims' status says now, as the controller reports it. */
export async function claimProgress(kubeConfig: KubeConfig): Promise<ClaimProgress[]> {
  const list = (await claimsApi(kubeConfig).listNamespacedCustomObject(where)) as { items: ClaimObject[] };
  return list.items.map(({ metadata, spec, status }) => ({
    name: metadata.name,
    nodeType: spec.typeRef ?? '',
    phase: status?.phase ?? 'Pending',
    ...(status?.bareMetalHost && { host: status.bareMetalHost }),
    ...(status?.address && { address: status.address }),
    ...(status?.conditions?.find((c) => c.type === 'Ready')?.message && {
      message: status.conditions.find((c) => c.type === 'Ready')?.message,
    }),
  }));
}

/** Polls the claims until each is Ready or Stuck (or the deadline passes), reporting every change. */
export async function followMachines(
  kubeConfig: KubeConfig,
  expected: number,
  report: (line: string) => void,
  timeoutMs: number,
): Promise<ClaimProgress[]> {
  const seen = new Map<string, string>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const claims = await claimProgress(kubeConfig);
    for (const claim of claims) {
      const line = `${claim.phase}${claim.host ? ` on ${claim.host}` : ''}${claim.address ? ` (${claim.address})` : ''}`;
      if (seen.get(claim.name) !== line) report(`  ${claim.name.padEnd(12)} ${claim.nodeType.padEnd(13)} ${line}`);
      seen.set(claim.name, line);
    }
    const settled = claims.filter((c) => c.phase === 'Ready' || c.phase === 'Stuck');
    if (claims.length >= expected && settled.length === claims.length) return claims;
    if (Date.now() > deadline) return claims;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Waits until the claim's Machine holds a host. */
export async function waitForClaimedHost(kubeConfig: KubeConfig, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await claimProgress(kubeConfig)).find((c) => c.name === name)?.host) {
    if (Date.now() > deadline) throw new Error(`NodeClaim ${name} got no host within ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
