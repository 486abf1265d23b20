/**
 * The external binaries the embedded default needs, pinned. Each can be provided by an environment
 * variable, found on PATH, taken from the cache, built with Go from its module, or downloaded.
 */
export type ToolName =
  'temporal' | 'kube-apiserver' | 'kubectl' | 'etcd' | 'helm' | 'temporal-server' | 'temporal-sql-tool';

/**
 * What the embedded default and the tests need; `make tools` provides these. The Temporal server
 * and its schema tool are only for `devstack up --temporal=postgres` and are built on first use.
 */
export const defaultToolNames: ToolName[] = ['temporal', 'kube-apiserver', 'kubectl', 'etcd', 'helm'];

export interface ToolSpec {
  name: ToolName;
  version: string;
  /** Environment variable naming a binary to use as is. */
  envVar: string;
  /** Module and main package built with `go build` in a throwaway module. */
  goModule: string;
  goPackage: string;
  /** Extra linker flags, e.g. the version stamp a release build carries. */
  goLdflags?: string;
  /** Official release archive or binary, for machines with internet but without Go. */
  downloadUrl: (os: string, arch: string) => string;
  /** Path of the binary inside the archive; undefined when the download is the binary itself. */
  archiveMember?: (os: string, arch: string) => string;
  /** How a binary from the environment variable or PATH is asked its version, and how far it may be from `version`. */
  versionCheck: VersionCheck;
}

export interface VersionCheck {
  /** The tool's own version flag. */
  args: string[];
  /** Minor versions either side of `version` that are accepted (same major); 0 means the same minor, any patch. */
  minorSkew: number;
}

const KUBERNETES_VERSION = 'v1.34.4';
/** Without the stamp a Kubernetes binary reports v0.0.0-master, which clients such as helm check charts against. */
const KUBERNETES_VERSION_STAMP = [
  `-X k8s.io/component-base/version.gitVersion=${KUBERNETES_VERSION}`,
  `-X k8s.io/component-base/version.gitMajor=1`,
  `-X k8s.io/component-base/version.gitMinor=${KUBERNETES_VERSION.split('.')[1] ?? ''}`,
].join(' ');
/** A Go build of these otherwise reports `0.0.0-DEV` or the bare minor; stamped so it reports what it is. */
const TEMPORAL_CLI_VERSION = 'v1.5.1';
const HELM_VERSION = 'v3.19.0';
const TEMPORAL_SERVER_VERSION = 'v1.29.1';
/** The server release archive holds the server and its schema tool side by side. */
const temporalServerRelease = (os: string, arch: string): string =>
  `https://github.com/temporalio/temporal/releases/download/${TEMPORAL_SERVER_VERSION}/temporal_${TEMPORAL_SERVER_VERSION.slice(1)}_${os}_${arch}.tar.gz`;

export const toolSpecs: Record<ToolName, ToolSpec> = {
  temporal: {
    name: 'temporal',
    // Later CLI releases carry a `replace` directive and cannot be built from the module proxy.
    version: TEMPORAL_CLI_VERSION,
    envVar: 'TEMPORAL_CLI_PATH',
    goModule: 'github.com/temporalio/cli',
    goPackage: 'github.com/temporalio/cli/cmd/temporal',
    goLdflags: `-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION.slice(1)}`,
    downloadUrl: (os, arch) =>
      `https://temporal.download/cli/archive/${TEMPORAL_CLI_VERSION}?platform=${os}&arch=${arch}`,
    archiveMember: () => 'temporal',
    // Same minor: the CLI embeds the dev server (1.29 in CLI 1.5), whose APIs and search attribute
    // handling the workers and tests rely on; another CLI minor embeds another server.
    versionCheck: { args: ['--version'], minorSkew: 0 },
  },
  'kube-apiserver': {
    name: 'kube-apiserver',
    version: KUBERNETES_VERSION,
    envVar: 'KUBE_APISERVER_PATH',
    goModule: 'k8s.io/kubernetes',
    goPackage: 'k8s.io/kubernetes/cmd/kube-apiserver',
    goLdflags: KUBERNETES_VERSION_STAMP,
    downloadUrl: (os, arch) => `https://dl.k8s.io/${KUBERNETES_VERSION}/bin/${os}/${arch}/kube-apiserver`,
    // Same minor: the CRDs, their validation and the API versions the provider and tests use are
    // those of this Kubernetes minor.
    versionCheck: { args: ['--version'], minorSkew: 0 },
  },
  kubectl: {
    name: 'kubectl',
    version: KUBERNETES_VERSION,
    envVar: 'KUBECTL_PATH',
    goModule: 'k8s.io/kubernetes',
    goPackage: 'k8s.io/kubernetes/cmd/kubectl',
    goLdflags: KUBERNETES_VERSION_STAMP,
    downloadUrl: (os, arch) => `https://dl.k8s.io/${KUBERNETES_VERSION}/bin/${os}/${arch}/kubectl`,
    // Kubernetes' version skew policy supports kubectl within one minor of the kube-apiserver.
    versionCheck: { args: ['version', '--client'], minorSkew: 1 },
  },
  etcd: {
    name: 'etcd',
    version: 'v3.6.6',
    envVar: 'ETCD_PATH',
    goModule: 'go.etcd.io/etcd/server/v3',
    goPackage: 'go.etcd.io/etcd/server/v3',
    downloadUrl: (os, arch) =>
      `https://github.com/etcd-io/etcd/releases/download/v3.6.6/etcd-v3.6.6-${os}-${arch}.tar.gz`,
    archiveMember: (os, arch) => `etcd-v3.6.6-${os}-${arch}/etcd`,
    // Same minor: this kube-apiserver is released and tested against etcd 3.6, and the devstack's
    // flags (e.g. --unsafe-no-fsync) are not all known to older etcd.
    versionCheck: { args: ['--version'], minorSkew: 0 },
  },
  helm: {
    name: 'helm',
    version: HELM_VERSION,
    envVar: 'HELM_PATH',
    goModule: 'helm.sh/helm/v3',
    goPackage: 'helm.sh/helm/v3/cmd/helm',
    goLdflags: `-X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}`,
    downloadUrl: (os, arch) => `https://get.helm.sh/helm-${HELM_VERSION}-${os}-${arch}.tar.gz`,
    archiveMember: (os, arch) => `${os}-${arch}/helm`,
    // Same minor: each helm minor is built on one Kubernetes client minor (3.19 on 1.34) and checks
    // charts' kubeVersion and API versions against it.
    versionCheck: { args: ['version', '--short'], minorSkew: 0 },
  },
  'temporal-server': {
    name: 'temporal-server',
    version: TEMPORAL_SERVER_VERSION,
    envVar: 'TEMPORAL_SERVER_PATH',
    goModule: 'go.temporal.io/server',
    goPackage: 'go.temporal.io/server/cmd/server',
    downloadUrl: temporalServerRelease,
    archiveMember: () => 'temporal-server',
    // Same minor: the SQL schema version the server expects changes between server minors.
    versionCheck: { args: ['--version'], minorSkew: 0 },
  },
  'temporal-sql-tool': {
    name: 'temporal-sql-tool',
    version: TEMPORAL_SERVER_VERSION,
    envVar: 'TEMPORAL_SQL_TOOL_PATH',
    goModule: 'go.temporal.io/server',
    goPackage: 'go.temporal.io/server/cmd/tools/sql',
    downloadUrl: temporalServerRelease,
    archiveMember: () => 'temporal-sql-tool',
    // Same minor as the server: it installs that server's schema.
    versionCheck: { args: ['--version'], minorSkew: 0 },
  },
};
