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
}

const KUBERNETES_VERSION = 'v1.34.4';
/** Without the stamp a Kubernetes binary reports v0.0.0-master, which clients such as helm check charts against. */
const KUBERNETES_VERSION_STAMP = [
  `-X k8s.io/component-base/version.gitVersion=${KUBERNETES_VERSION}`,
  `-X k8s.io/component-base/version.gitMajor=1`,
  `-X k8s.io/component-base/version.gitMinor=${KUBERNETES_VERSION.split('.')[1] ?? ''}`,
].join(' ');
const TEMPORAL_SERVER_VERSION = 'v1.29.1';
/** The server release archive holds the server and its schema tool side by side. */
const temporalServerRelease = (os: string, arch: string): string =>
  `https://github.com/temporalio/temporal/releases/download/${TEMPORAL_SERVER_VERSION}/temporal_${TEMPORAL_SERVER_VERSION.slice(1)}_${os}_${arch}.tar.gz`;

export const toolSpecs: Record<ToolName, ToolSpec> = {
  temporal: {
    name: 'temporal',
    // Later CLI releases carry a `replace` directive and cannot be built from the module proxy.
    version: 'v1.5.1',
    envVar: 'TEMPORAL_CLI_PATH',
    goModule: 'github.com/temporalio/cli',
    goPackage: 'github.com/temporalio/cli/cmd/temporal',
    downloadUrl: (os, arch) => `https://temporal.download/cli/archive/v1.5.1?platform=${os}&arch=${arch}`,
    archiveMember: () => 'temporal',
  },
  'kube-apiserver': {
    name: 'kube-apiserver',
    version: KUBERNETES_VERSION,
    envVar: 'KUBE_APISERVER_PATH',
    goModule: 'k8s.io/kubernetes',
    goPackage: 'k8s.io/kubernetes/cmd/kube-apiserver',
    goLdflags: KUBERNETES_VERSION_STAMP,
    downloadUrl: (os, arch) => `https://dl.k8s.io/${KUBERNETES_VERSION}/bin/${os}/${arch}/kube-apiserver`,
  },
  kubectl: {
    name: 'kubectl',
    version: KUBERNETES_VERSION,
    envVar: 'KUBECTL_PATH',
    goModule: 'k8s.io/kubernetes',
    goPackage: 'k8s.io/kubernetes/cmd/kubectl',
    goLdflags: KUBERNETES_VERSION_STAMP,
    downloadUrl: (os, arch) => `https://dl.k8s.io/${KUBERNETES_VERSION}/bin/${os}/${arch}/kubectl`,
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
  },
  helm: {
    name: 'helm',
    version: 'v3.19.0',
    envVar: 'HELM_PATH',
    goModule: 'helm.sh/helm/v3',
    goPackage: 'helm.sh/helm/v3/cmd/helm',
    downloadUrl: (os, arch) => `https://get.helm.sh/helm-v3.19.0-${os}-${arch}.tar.gz`,
    archiveMember: (os, arch) => `${os}-${arch}/helm`,
  },
  'temporal-server': {
    name: 'temporal-server',
    version: TEMPORAL_SERVER_VERSION,
    envVar: 'TEMPORAL_SERVER_PATH',
    goModule: 'go.temporal.io/server',
    goPackage: 'go.temporal.io/server/cmd/server',
    downloadUrl: temporalServerRelease,
    archiveMember: () => 'temporal-server',
  },
  'temporal-sql-tool': {
    name: 'temporal-sql-tool',
    version: TEMPORAL_SERVER_VERSION,
    envVar: 'TEMPORAL_SQL_TOOL_PATH',
    goModule: 'go.temporal.io/server',
    goPackage: 'go.temporal.io/server/cmd/tools/sql',
    downloadUrl: temporalServerRelease,
    archiveMember: () => 'temporal-sql-tool',
  },
};
