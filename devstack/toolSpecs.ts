/**
 * The external binaries the embedded default needs, pinned. Each can be provided by an environment
 * variable, found on PATH, taken from the cache, built with Go from its module, or downloaded.
 */
export type ToolName = 'temporal' | 'kube-apiserver' | 'etcd' | 'helm';

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
    // Without the stamp the server reports v0.0.0-master, which clients such as helm check charts against.
    goLdflags: [
      `-X k8s.io/component-base/version.gitVersion=${KUBERNETES_VERSION}`,
      `-X k8s.io/component-base/version.gitMajor=1`,
      `-X k8s.io/component-base/version.gitMinor=${KUBERNETES_VERSION.split('.')[1] ?? ''}`,
    ].join(' '),
    downloadUrl: (os, arch) => `https://dl.k8s.io/${KUBERNETES_VERSION}/bin/${os}/${arch}/kube-apiserver`,
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
};
