import type { RenderedObject } from '../../support/helmCli.js';

/**
 * The charts' least-privilege and Pod Security rules, checked on rendered objects. Each function returns
 * the problems it found, one readable line each; an empty list means the rule holds.
 */

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
}

interface Capabilities {
  add?: string[];
  drop?: string[];
}

interface ContainerSecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  privileged?: boolean;
  capabilities?: Capabilities;
  seccompProfile?: { type?: string };
}

interface Container {
  name: string;
  ports?: { containerPort: number; protocol?: string }[];
  securityContext?: ContainerSecurityContext;
}

interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  hostNetwork?: boolean;
  hostPID?: boolean;
  securityContext?: ContainerSecurityContext;
  initContainers?: Container[];
  containers: Container[];
}

export interface Workload {
  kind: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  pod: PodSpec;
}

/** What a chart may do beyond "restricted", and why; every exception is documented in the chart README. */
export interface Exceptions {
  /** Capabilities a container may add, by `<workload>/<container>`; none elsewhere. */
  addCapabilities?: Record<string, string[]>;
  /** Containers whose root filesystem stays writable. */
  writableRoot?: string[];
  /** Containers that run privileged (Multus only). */
  privileged?: string[];
  /** Workloads on the host network, and running as root (Multus, the DHCP server with hostNetwork). */
  hostNetwork?: string[];
}

const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'Job']);

export function workloads(objects: RenderedObject[]): Workload[] {
  return objects
    .filter((o) => WORKLOAD_KINDS.has(o.kind))
    .map((o) => {
      const template = (
        o as RenderedObject & { spec: { template: { metadata: { labels?: Record<string, string> }; spec: PodSpec } } }
      ).spec.template;
      return {
        kind: o.kind,
        namespace: o.metadata.namespace ?? '',
        name: o.metadata.name,
        labels: template.metadata.labels ?? {},
        pod: template.spec,
      };
    });
}

function rules(object: RenderedObject): PolicyRule[] {
  return (object as RenderedObject & { rules?: PolicyRule[] }).rules ?? [];
}

function grantsSecrets(rule: PolicyRule): boolean {
  const coreGroup = (rule.apiGroups ?? []).some((g) => g === '' || g === '*');
  const secrets = (rule.resources ?? []).some((r) => r === 'secrets' || r === '*' || r.startsWith('secrets/'));
  return coreGroup && secrets && (rule.verbs ?? []).length > 0;
}

/** No ClusterRole grants anything on Secrets, and none is `*` on `*`. */
export function clusterRoleProblems(objects: RenderedObject[]): string[] {
  return objects
    .filter((o) => o.kind === 'ClusterRole')
    .flatMap((role) =>
      rules(role).flatMap((rule) => [
        ...(grantsSecrets(rule) ? [`ClusterRole ${role.metadata.name} grants ${String(rule.verbs)} on Secrets`] : []),
        ...((rule.apiGroups ?? []).includes('*') && (rule.resources ?? []).includes('*')
          ? [`ClusterRole ${role.metadata.name} grants every resource of every group`]
          : []),
      ]),
    );
}

/** No binding refers to cluster-admin, admin or edit (the built-in roles), or a role the chart does not define. */
export function bindingProblems(objects: RenderedObject[]): string[] {
  const defined = new Set(
    objects
      .filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')
      .map((o) => `${o.kind}/${o.kind === 'Role' ? `${o.metadata.namespace ?? ''}/` : ''}${o.metadata.name}`),
  );
  return objects
    .filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding')
    .flatMap((binding) => {
      const ref = (binding as RenderedObject & { roleRef: { kind: string; name: string } }).roleRef;
      const key = `${ref.kind}/${ref.kind === 'Role' ? `${binding.metadata.namespace ?? ''}/` : ''}${ref.name}`;
      if (['cluster-admin', 'admin', 'edit'].includes(ref.name))
        return [`${binding.kind} ${binding.metadata.name} binds the built-in ${ref.name}`];
      if (!defined.has(key))
        return [`${binding.kind} ${binding.metadata.name} binds ${key}, which the chart does not define`];
      return [];
    });
}

/** Namespaces in which some Role grants Secrets. */
export function secretNamespaces(objects: RenderedObject[]): Set<string> {
  return new Set(
    objects.filter((o) => o.kind === 'Role' && rules(o).some(grantsSecrets)).map((o) => o.metadata.namespace ?? ''),
  );
}

/** Pod Security "restricted" plus a read-only root filesystem, with the chart's documented exceptions. */
export function podSecurityProblems(objects: RenderedObject[], exceptions: Exceptions = {}): string[] {
  const problems: string[] = [];
  for (const w of workloads(objects)) {
    const pod = w.pod;
    const where = `${w.kind} ${w.name}`;
    const hostNetworkAllowed = exceptions.hostNetwork?.includes(w.name) ?? false;
    if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault')
      problems.push(`${where}: the pod's seccompProfile is not RuntimeDefault`);
    if ((pod.hostNetwork || pod.hostPID) && !hostNetworkAllowed)
      problems.push(`${where}: uses the host's network or PID namespace`);
    for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
      const id = `${w.name}/${container.name}`;
      const at = `${where} container ${container.name}`;
      const sc = container.securityContext ?? {};
      if (exceptions.privileged?.includes(id)) {
        if (sc.privileged !== true) problems.push(`${at}: listed as privileged but is not (update the exceptions)`);
        continue;
      }
      if (sc.privileged === true) problems.push(`${at}: privileged`);
      const nonRoot = sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
      const user = sc.runAsUser ?? pod.securityContext?.runAsUser;
      if (!hostNetworkAllowed && (nonRoot !== true || user === 0)) problems.push(`${at}: may run as root`);
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${at}: does not drop ALL capabilities`);
      const allowed = exceptions.addCapabilities?.[id] ?? [];
      for (const cap of sc.capabilities?.add ?? []) {
        if (!allowed.includes(cap)) problems.push(`${at}: adds capability ${cap}`);
      }
      if (sc.readOnlyRootFilesystem !== true && !(exceptions.writableRoot?.includes(id) ?? false))
        problems.push(`${at}: the root filesystem is writable`);
    }
  }
  return problems;
}

/** Service accounts that some binding gives permissions to, as `<namespace>/<name>`. */
export function boundServiceAccounts(objects: RenderedObject[]): Set<string> {
  return new Set(
    objects
      .filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding')
      .flatMap(
        (b) =>
          (b as RenderedObject & { subjects?: { kind: string; name: string; namespace?: string }[] }).subjects ?? [],
      )
      .filter((s) => s.kind === 'ServiceAccount')
      .map((s) => `${s.namespace ?? ''}/${s.name}`),
  );
}

/**
 * A pod that mounts a service account token needs a binding for that account; one whose account is bound
 * to nothing must not mount a token.
 */
export function tokenProblems(objects: RenderedObject[]): string[] {
  const bound = boundServiceAccounts(objects);
  return workloads(objects).flatMap((w) => {
    const account = `${w.namespace}/${w.pod.serviceAccountName ?? 'default'}`;
    if (bound.has(account) || w.pod.automountServiceAccountToken === false) return [];
    return [`${w.kind} ${w.name}: mounts the token of ${account}, which has no Kubernetes access to use it for`];
  });
}

interface NetworkPolicySpec {
  podSelector: { matchLabels?: Record<string, string> };
  policyTypes?: string[];
  ingress?: { from?: unknown[]; ports?: { port: number | string; protocol?: string }[] }[];
}

function policies(objects: RenderedObject[]): (RenderedObject & { spec: NetworkPolicySpec })[] {
  return objects.filter((o) => o.kind === 'NetworkPolicy') as (RenderedObject & { spec: NetworkPolicySpec })[];
}

/**
 * Every workload off the host network is selected by an Ingress NetworkPolicy of its namespace; every
 * ingress rule names its peers and its ports (no rule open to everyone or to every port), except those
 * listed in `openRules` as `<policy>:<port>`.
 */
export function networkPolicyProblems(objects: RenderedObject[], openRules: string[] = []): string[] {
  const problems: string[] = [];
  const all = policies(objects);
  for (const w of workloads(objects)) {
    if (w.pod.hostNetwork) continue;
    const selecting = all.filter(
      (p) =>
        (p.metadata.namespace ?? '') === w.namespace &&
        (p.spec.policyTypes ?? []).includes('Ingress') &&
        Object.entries(p.spec.podSelector.matchLabels ?? {}).every(([k, v]) => w.labels[k] === v) &&
        Object.keys(p.spec.podSelector.matchLabels ?? {}).length > 0,
    );
    if (selecting.length === 0) problems.push(`${w.kind} ${w.name}: no Ingress NetworkPolicy selects its pods`);
  }
  for (const policy of all) {
    for (const rule of policy.spec.ingress ?? []) {
      const ports = rule.ports ?? [];
      if (ports.length === 0) problems.push(`NetworkPolicy ${policy.metadata.name}: a rule opens every port`);
      if ((rule.from ?? []).length === 0) {
        for (const port of ports) {
          if (!openRules.includes(`${policy.metadata.name}:${String(port.port)}`))
            problems.push(`NetworkPolicy ${policy.metadata.name}: port ${String(port.port)} is open to everyone`);
        }
      }
    }
  }
  return problems;
}

/** The ports a policy lets in from peers, as `<port>/<protocol>`. */
export function allowedPorts(objects: RenderedObject[], policyName: string): string[] {
  const policy = policies(objects).find((p) => p.metadata.name === policyName);
  if (!policy) throw new Error(`NetworkPolicy ${policyName} was not rendered`);
  return (policy.spec.ingress ?? []).flatMap((rule) =>
    (rule.ports ?? []).map((p) => `${String(p.port)}/${p.protocol ?? 'TCP'}`),
  );
}
