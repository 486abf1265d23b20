import { generateKeyPairSync } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runCommand } from './runCommand.js';

export interface ApiserverCertificates {
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  serviceAccountPublicKey: string;
  serviceAccountPrivateKey: string;
}

/**
 * Generates what a secure kube-apiserver needs, as envtest does: a throwaway CA, a serving
 * certificate for loopback, an admin client certificate in `system:masters`, and the
 * service-account signing key pair. Files are paths inside `dir`.
 */
export async function generateApiserverCertificates(dir: string): Promise<ApiserverCertificates> {
  const files: ApiserverCertificates = {
    caCert: join(dir, 'ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'admin.crt'),
    clientKey: join(dir, 'admin.key'),
    serviceAccountPublicKey: join(dir, 'sa.pub'),
    serviceAccountPrivateKey: join(dir, 'sa.key'),
  };
  const caKey = join(dir, 'ca.key');
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '3650'];
  await openssl(['req', '-x509', ...ecKey, '-keyout', caKey, '-out', files.caCert, '-subj', '/CN=devstack-ca']);
  const signed = ['-CA', files.caCert, '-CAkey', caKey];
  await openssl([
    'req', '-x509', ...ecKey, ...signed, '-keyout', files.serverKey, '-out', files.serverCert,
    '-subj', '/CN=kube-apiserver',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc',
    '-addext', 'extendedKeyUsage=serverAuth',
  ]); // prettier-ignore
  await openssl([
    'req', '-x509', ...ecKey, ...signed, '-keyout', files.clientKey, '-out', files.clientCert,
    '-subj', '/O=system:masters/CN=devstack-admin',
    '-addext', 'extendedKeyUsage=clientAuth',
  ]); // prettier-ignore
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await writeFile(files.serviceAccountPublicKey, publicKey.export({ type: 'spki', format: 'pem' }));
  await writeFile(files.serviceAccountPrivateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return files;
}

async function openssl(args: string[]): Promise<void> {
  const result = await runCommand('openssl', args);
  if (result.code !== 0) {
    throw new Error(`openssl ${args[0] ?? ''} failed while generating devstack certificates: ${result.stderr.trim()}`);
  }
}

/** A kubeconfig for `server` that trusts the CA of `certs` and signs in with their admin client certificate. */
export async function adminKubeconfig(server: string, certs: ApiserverCertificates): Promise<string> {
  const b64 = async (file: string): Promise<string> => (await readFile(file)).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'devstack', cluster: { server, 'certificate-authority-data': await b64(certs.caCert) } }],
    users: [
      {
        name: 'devstack-admin',
        user: {
          'client-certificate-data': await b64(certs.clientCert),
          'client-key-data': await b64(certs.clientKey),
        },
      },
    ],
    contexts: [{ name: 'devstack', context: { cluster: 'devstack', user: 'devstack-admin', namespace: 'default' } }],
    'current-context': 'devstack',
  });
}
