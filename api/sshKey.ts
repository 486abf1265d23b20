import { z } from 'zod';
import { API_GROUP_VERSION, ClusterObjectMeta } from './objectMeta.js';
import { sshPublicKeyProblem } from './sshPublicKey.js';

/** A public key that `vcluster.com/ssh-keys` names, injected into user data. */
export const SSHKey = z.strictObject({
  apiVersion: z.literal(API_GROUP_VERSION),
  kind: z.literal('SSHKey'),
  metadata: ClusterObjectMeta,
  spec: z.strictObject({
    displayName: z.string().optional(),
    publicKey: z
      .string()
      .superRefine((key, ctx) => {
        const problem = sshPublicKeyProblem(key);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      })
      .describe('One OpenSSH public key line, e.g. "ssh-ed25519 AAAA… user@host".'),
  }),
});
export type SSHKey = z.infer<typeof SSHKey>;
