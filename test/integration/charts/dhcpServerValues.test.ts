import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveBootServerConfig } from '../../../dhcp/config/bootServerConfig.js';
import { helmTemplate, type RenderedObject } from '../../support/helmCli.js';
import { useTestEnv } from '../../support/testEnv.js';
import { specHelmValues } from './specHelmValues.js';

// The DHCP chart rendered with the spec's three examples gives the objects the spec describes, and the
// configuration it hands the server is one `metal3-provider boot-server` accepts.
const env = useTestEnv();
const CHART = 'metal3-provider-dhcp-server';
const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';
const IRONIC =
  'proxy:\n  ironicHttpUrl: http://ironic.metal3.svc:6180\n  ironicApiUrl: http://ironic.metal3.svc:6385\n';

interface Container {
  name: string;
  args: string[];
  env: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  securityContext: {
    runAsUser?: number;
    runAsNonRoot?: boolean;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { add?: string[]; drop?: string[] };
  };
  volumeMounts: { name: string; mountPath: string }[];
}
interface PodSpec {
  hostNetwork?: boolean;
  containers: Container[];
  volumes: { name: string; configMap?: { name: string } }[];
}
interface Deployment extends RenderedObject {
  spec: { template: { metadata: { annotations?: Record<string, string> }; spec: PodSpec } };
}

async function render(file: string, ...extra: string[]) {
  const objects = await helmTemplate(env.helmPath, CHART, {
    release: 'boot',
    namespace: 'metal3-system',
    values: [await specHelmValues(file, 'dhcp'), ...extra],
  });
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const [deployment] = byKind('Deployment') as Deployment[];
  if (!deployment) throw new Error('no Deployment rendered');
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];
  if (!container) throw new Error('no container rendered');
  const configMap = byKind('ConfigMap')[0] as (RenderedObject & { data: Record<string, string> }) | undefined;
  if (!configMap) throw new Error('no ConfigMap rendered');
  const nads = byKind('NetworkAttachmentDefinition') as (RenderedObject & { spec: { config: string } })[];
  const cni = nads[0] ? (JSON.parse(nads[0].spec.config) as Record<string, unknown>) : undefined;
  return { objects, deployment, pod, container, configMap, nads, cni };
}

/** The SERVER_IP the pod gets: a literal, or (host network) the pod IP, here a stand-in. */
function serverIp(container: Container, podIp: string): string {
  const variable = container.env.find((e) => e.name === 'SERVER_IP');
  if (!variable) throw new Error('SERVER_IP is not set');
  if (variable.valueFrom?.fieldRef?.fieldPath === 'status.podIP') return podIp;
  if (variable.value === undefined) throw new Error('SERVER_IP has neither a value nor status.podIP');
  return variable.value;
}

/** What the server makes of the mounted values file, with the pod's environment. */
function serverConfig(rendered: Awaited<ReturnType<typeof render>>, podIp = '10.1.2.3') {
  const [flag, file] = rendered.container.args.slice(1, 3);
  expect(flag).toBe('-f');
  const mount = rendered.container.volumeMounts.find((m) => file?.startsWith(`${m.mountPath}/`));
  expect(mount, `the values file ${file ?? ''} is mounted`).toBeDefined();
  const volume = rendered.pod.spec.volumes.find((v) => v.name === mount?.name);
  expect(volume?.configMap?.name).toBe(rendered.configMap.metadata.name);
  const key = file?.slice((mount?.mountPath.length ?? 0) + 1) ?? '';
  const values = parse(rendered.configMap.data[key] ?? '') as unknown;
  return resolveBootServerConfig({
    values: [values],
    sets: [],
    flags: {},
    env: { SERVER_IP: serverIp(rendered.container, podIp) },
  });
}

describe('DHCP server chart with the spec examples', () => {
  it('bridge: a bridge br0 NetworkAttachmentDefinition with the vip as static address, attached to the pod', async () => {
    const r = await render('deploy-dhcp-bridge-fragment.yaml', IRONIC);
    expect(r.nads).toHaveLength(1);
    expect(r.cni).toMatchObject({ cniVersion: '0.3.1', type: 'bridge', bridge: 'br0', isDefaultGateway: false });
    expect(r.cni?.ipam).toEqual({ type: 'static', addresses: [{ address: '192.168.100.2/24' }] });
    expect(r.pod.metadata.annotations?.[NETWORKS_ANNOTATION]).toBe(`metal3-system/${r.nads[0]?.metadata.name ?? ''}`);
    expect(r.pod.spec.hostNetwork).toBeUndefined();
    expect(r.container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
      runAsNonRoot: true,
      runAsUser: 1000,
    });
    expect(r.container.args).toEqual([
      'boot-server',
      '-f',
      '/etc/metal3-provider/values.yaml',
      '--watch-namespace',
      'metal3-system',
    ]);
    const config = serverConfig(r);
    expect(config.dhcp).toEqual({ serverIp: '192.168.100.2', listen: { host: '0.0.0.0', port: 67 } });
    expect(config.tftp).toEqual({
      listen: { host: '192.168.100.2', port: 69 },
      busyPollMicros: 100,
      maxTransfers: 512,
      maxTransfersPerClient: 8,
    });
    expect(config.http.advertiseUrl).toBe('http://192.168.100.2:8080');
    expect(config.proxy.callbackAdvertiseUrl).toBe('http://192.168.100.2:8081');
    expect(config.proxy.ironicHttpUrl).toBe('http://ironic.metal3.svc:6180');
  });

  it('macvlan: master eth0 in bridge mode with vip 10.0.0.2/24', async () => {
    const r = await render('deploy-dhcp-macvlan-fragment.yaml', IRONIC);
    expect(r.cni).toMatchObject({ type: 'macvlan', master: 'eth0', mode: 'bridge' });
    expect(r.cni?.ipam).toEqual({ type: 'static', addresses: [{ address: '10.0.0.2/24' }] });
    expect(r.pod.metadata.annotations?.[NETWORKS_ANNOTATION]).toBe(`metal3-system/${r.nads[0]?.metadata.name ?? ''}`);
    expect(serverConfig(r).dhcp.serverIp).toBe('10.0.0.2');
  });

  it('hostNetwork: root on the host network, no NetworkAttachmentDefinition, $(SERVER_IP):67 and the kernel params', async () => {
    const r = await render('deploy-dhcp-hostnetwork-fragment.yaml', IRONIC);
    expect(r.pod.spec.hostNetwork).toBe(true);
    expect(r.container.securityContext.runAsUser).toBe(0);
    expect(r.container.securityContext.runAsNonRoot).toBe(false);
    // Root on the host network, but still with NET_BIND_SERVICE as its only capability.
    expect(r.container.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    expect(r.container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(r.nads).toEqual([]);
    expect(r.pod.metadata.annotations?.[NETWORKS_ANNOTATION]).toBeUndefined();
    expect(parse(r.configMap.data['values.yaml'] ?? '')).toMatchObject({ dhcp: { listenAddr: '$(SERVER_IP):67' } });
    expect(r.container.args.slice(-2)).toEqual([
      '--inspector-extra-kernel-param=console=ttyS0,115200n8',
      '--installer-extra-kernel-param=console=ttyS0,115200n8',
    ]);
    const config = serverConfig(r, '10.9.8.7');
    expect(config.dhcp).toEqual({ serverIp: '10.9.8.7', listen: { host: '10.9.8.7', port: 67 } });
  });

  it('tftp.listenAddr "" turns TFTP off in the server and drops the TFTP port', async () => {
    const r = await render('deploy-dhcp-bridge-fragment.yaml', IRONIC, 'tftp:\n  listenAddr: ""\n');
    expect(serverConfig(r).tftp).toBeUndefined();
    const ports = (r.container as Container & { ports: { name: string }[] }).ports.map((p) => p.name);
    expect(ports).toEqual(['dhcp', 'http', 'callback']);
  });

  it('a CNI config that is not JSON fails the render and names the value', async () => {
    await expect(
      helmTemplate(env.helmPath, CHART, {
        release: 'boot',
        namespace: 'metal3-system',
        values: ['networkAttachmentDefinition:\n  config: "type: bridge"\n'],
      }),
    ).rejects.toThrow(/networkAttachmentDefinition\.config must be a CNI configuration JSON object/);
  });

  it('a misspelt server setting fails the install instead of the pod', async () => {
    await expect(
      helmTemplate(env.helmPath, CHART, {
        release: 'boot',
        namespace: 'metal3-system',
        values: ['dhcp:\n  listenAdr: 0.0.0.0:67\n'],
      }),
    ).rejects.toThrow(/at '\/dhcp': additional properties 'listenAdr' not allowed/);
  });
});
