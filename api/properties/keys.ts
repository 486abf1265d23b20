/** Property keys by role, so code never spells a key twice. The catalogue describes each one. */
export const PropertyKeys = {
  osImage: 'vcluster.com/os-image',
  imageUrl: 'metal3.vcluster.com/image-url',
  imageChecksum: 'metal3.vcluster.com/image-checksum',
  imageChecksumType: 'metal3.vcluster.com/image-checksum-type',
  networkCidr: 'metal3.vcluster.com/network-cidr',
  networkIpRange: 'metal3.vcluster.com/network-ip-range',
  dnsServers: 'metal3.vcluster.com/dns-servers',
  networkData: 'metal3.vcluster.com/network-data',
  networkDataTemplate: 'vcluster.com/network-data-template',
  networkDataTemplateSecret: 'vcluster.com/network-data-template-secret',
  networkEnvironment: 'vcluster.com/network-environment',
  serverName: 'metal3.vcluster.com/server-name',
  sshKeys: 'vcluster.com/ssh-keys',
  userData: 'vcluster.com/user-data',
  userDataTemplate: 'vcluster.com/user-data-template',
  userDataTemplateSecret: 'vcluster.com/user-data-template-secret',
  nodeType: 'vcluster.com/node-type',
  provisionAttempts: 'metal3-provider.io/provision-attempts',
  provisionTimeout: 'metal3-provider.io/provision-timeout',
  ntpServers: 'metal3-provider.io/ntp-servers',
  reservedAddresses: 'metal3-provider.io/reserved-addresses',
  /** Secret whose `joinCommand` key holds the registration commands appended to user data. */
  joinSecret: 'metal3-provider.io/join-secret',
} as const;

export type PropertyKey = (typeof PropertyKeys)[keyof typeof PropertyKeys];
