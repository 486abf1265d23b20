import type { KubeConfig } from '../../k8s/kubernetesClient.js';
import { DEFAULT_PLATFORM_NAMESPACE } from '../../api/resolve/secretReference.js';
import { lazyHostView, type BareMetalHostCaches, type BareMetalHostView } from '../../k8s/bareMetalHostCache.js';
import { createBareMetalHostApi, type BareMetalHostApi } from '../../k8s/bareMetalHosts.js';
import { createManagementObjects } from '../../k8s/managementObjects.js';
import { createSecretApi, type SecretApi } from '../../k8s/secrets.js';
import { leaseAnnotations, type Lease } from '../../ipam/lease.js';
import { createHostActivities, type HostActivities } from '../hosts/index.js';
import { toApplicationFailure } from '../applicationFailure.js';
import { createIpamActivities, type IpamActivities } from '../ipam/index.js';
import { createSecretActivities, type SecretActivities } from '../secrets/index.js';
import type { MachineRef, MachineSecretNames, ResolvedMachine } from '../../contracts/machineContract.js';
import { resolveMachine } from './resolveMachine.js';
import { writeMachineData } from './writeMachineData.js';
import type {
  AllocateAddressRequest,
  AwaitProvisionedInput,
  ClaimHostInput,
  FollowHostInput,
  InClusterNamespace,
  MachineActivities,
  ReleaseAddressInput,
} from '../../contracts/machineActivityContract.js';

interface NamespaceActivities {
  hosts: HostActivities;
  ipam: IpamActivities;
  secrets: SecretActivities;
  secretApi: SecretApi;
  hostApi: BareMetalHostApi;
  hostCache?: BareMetalHostView;
}

/**
 * The Machine lifecycle's activities, built once per worker from the Kubernetes client. Host, IPAM
 * and Secret activities are bound to a namespace, so one set is kept per cluster namespace in use.
 */
export function createMachineActivities(options: {
  kubeConfig: KubeConfig;
  /** Namespace of the provider's own configuration; bare Secret names in properties are looked up here. */
  platformNamespace?: string;
  /** The worker's shared BareMetalHost caches, which claims choose from and waits wake on; without them claims LIST and waits poll. */
  hostCaches?: BareMetalHostCaches;
}): MachineActivities {
  const { kubeConfig, hostCaches } = options;
  const platformNamespace = options.platformNamespace ?? DEFAULT_PLATFORM_NAMESPACE;
  const objects = createManagementObjects(kubeConfig);
  const byNamespace = new Map<string, NamespaceActivities>();
  const inNamespace = (namespace: string): NamespaceActivities => {
    let set = byNamespace.get(namespace);
    if (!set) {
      // Started by the first claim, wait or address allocation, so a namespace used only for Secrets never watches hosts.
      const view = hostCaches && lazyHostView(hostCaches, namespace);
      set = {
        hosts: createHostActivities({ kubeConfig, namespace, ...(view && { cache: view }) }),
        ipam: createIpamActivities({ kubeConfig, namespace, ...(view && { hostCache: view }) }),
        secrets: createSecretActivities({ kubeConfig, namespace }),
        secretApi: createSecretApi(kubeConfig, namespace),
        hostApi: createBareMetalHostApi(kubeConfig, namespace),
        ...(view && { hostCache: view }),
      };
      byNamespace.set(namespace, set);
    }
    return set;
  };

  return {
    async resolveMachine(input: { machine: MachineRef }): Promise<ResolvedMachine> {
      try {
        const deps = { objects, secretsIn: (ns: string) => inNamespace(ns).secretApi, platformNamespace };
        return await resolveMachine(deps, input.machine);
      } catch (err) {
        throw toApplicationFailure(err, 'resolving the Machine', 'resolve');
      }
    },
    claimHost: ({ clusterNamespace, ...input }: InClusterNamespace & ClaimHostInput) =>
      inNamespace(clusterNamespace).hosts.claimHost(input),
    allocateAddress: ({ clusterNamespace, ...input }: InClusterNamespace & AllocateAddressRequest) =>
      inNamespace(clusterNamespace).ipam.allocateAddress({ ...input, startAt: 'random' }),
    async writeMachineData({
      clusterNamespace,
      ...input
    }: InClusterNamespace & {
      machine: MachineRef;
      host: string;
      snapshotSecret: string;
      lease?: Lease;
    }): Promise<MachineSecretNames> {
      const set = inNamespace(clusterNamespace);
      try {
        return await writeMachineData(
          {
            hosts: set.hostApi,
            secrets: set.secretApi,
            secretActivities: set.secrets,
            ...(set.hostCache && { hostCache: set.hostCache }),
          },
          input,
        );
      } catch (err) {
        throw toApplicationFailure(err, 'rendering the Machine data', 'render');
      }
    },
    configureHost: ({
      clusterNamespace,
      machine,
      host,
      image,
      secrets,
      lease,
    }: Parameters<MachineActivities['configureHost']>[0]) =>
      inNamespace(clusterNamespace).hosts.configureHost({
        machine,
        host,
        image,
        ...(secrets.userData !== undefined && { userData: secrets.userData }),
        ...(secrets.networkData !== undefined && { networkData: secrets.networkData }),
        ...(secrets.metaData !== undefined && { metaData: secrets.metaData }),
        ...(lease && { networkAnnotations: leaseAnnotations(lease) }),
      }),
    awaitProvisioned: ({ clusterNamespace, ...input }: InClusterNamespace & AwaitProvisionedInput) =>
      inNamespace(clusterNamespace).hosts.awaitProvisioned(input),
    inspectHost: ({ clusterNamespace, ...input }: InClusterNamespace & { machine: MachineRef; host: string }) =>
      inNamespace(clusterNamespace).hosts.inspectHost(input),
    releaseHost: ({ clusterNamespace, ...input }: InClusterNamespace & { machine: MachineRef; host: string }) =>
      inNamespace(clusterNamespace).hosts.releaseHost(input),
    awaitAvailable: ({ clusterNamespace, ...input }: InClusterNamespace & FollowHostInput) =>
      inNamespace(clusterNamespace).hosts.awaitAvailable(input),
    releaseAddress: ({ clusterNamespace, ...input }: InClusterNamespace & ReleaseAddressInput) =>
      inNamespace(clusterNamespace).ipam.releaseAddress(input),
    /** Deletes the data Secrets and the snapshot: everything labelled with the Machine. */
    deleteMachineData: ({ clusterNamespace, machine }: InClusterNamespace & { machine: MachineRef }) =>
      inNamespace(clusterNamespace).secrets.deleteMachineSecrets({ machine }),
  };
}
