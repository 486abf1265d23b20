import { request } from 'node:https';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { adminKubeconfig, generateApiserverCertificates, type ApiserverCertificates } from './certificates.js';
import { freePort } from './freePort.js';
import { ManagedProcess } from './managedProcess.js';

export interface RunningKubeApiserver {
  process: ManagedProcess;
  url: string;
  kubeconfigPath: string;
}

/**
 * Starts a secure kube-apiserver on loopback backed by `etcdUrl`, with an admin kubeconfig.
 * No controller-manager or kubelet runs: objects are stored and served, nothing schedules them.
 */
export async function startKubeApiserver(binary: string, etcdUrl: string, dir: string): Promise<RunningKubeApiserver> {
  const certDir = join(dir, 'pki');
  await mkdir(certDir, { recursive: true });
  const certs = await generateApiserverCertificates(certDir);
  const port = await freePort();
  const url = `https://127.0.0.1:${port}`;
  const process = ManagedProcess.start(
    'kube-apiserver',
    binary,
    [
      `--etcd-servers=${etcdUrl}`,
      `--etcd-prefix=/registry`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--cert-dir=${certDir}`,
      `--tls-cert-file=${certs.serverCert}`,
      `--tls-private-key-file=${certs.serverKey}`,
      `--client-ca-file=${certs.caCert}`,
      `--service-account-issuer=https://kubernetes.default.svc`,
      `--service-account-key-file=${certs.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${certs.serviceAccountPrivateKey}`,
      '--service-cluster-ip-range=10.96.0.0/24',
      '--authorization-mode=RBAC',
      '--allow-privileged=true',
      // Without a controller-manager no default ServiceAccount appears; pods from charts must still be admitted.
      '--disable-admission-plugins=ServiceAccount',
      '--enable-priority-and-fairness=false',
      '--profiling=false',
      '--v=1',
    ],
    join(dir, 'kube-apiserver.log'),
  );
  await process.waitUntilReady(() => readyz(url, certs), 90_000);
  const kubeconfigPath = join(dir, 'kubeconfig');
  await writeFile(kubeconfigPath, await adminKubeconfig(url, certs), { mode: 0o600 });
  return { process, url, kubeconfigPath };
}

async function readyz(url: string, certs: ApiserverCertificates): Promise<boolean> {
  const [ca, cert, key] = await Promise.all([certs.caCert, certs.clientCert, certs.clientKey].map((f) => readFile(f)));
  return new Promise((resolve) => {
    const req = request(`${url}/readyz`, { ca, cert, key, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => {
      resolve(false);
    });
    req.end();
  });
}
