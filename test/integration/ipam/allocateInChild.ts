// Run as a separate process by concurrentAllocation.test.ts: allocates addresses for the Machines it
// is given, all at once, after the parent says "go", and prints one JSON outcome per Machine.
import { createInterface } from 'node:readline';
import { loadKubeConfig } from '../../../k8s/kubeClient.js';
import { runAllocations, type AllocationJob } from './runAllocations.js';

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const first = await lines.next();
const job = JSON.parse(String(first.value)) as AllocationJob & { kubeconfigPath: string };
const kubeConfig = loadKubeConfig(job.kubeconfigPath);
process.stdout.write('ready\n');
await lines.next();
const outcomes = await runAllocations(kubeConfig, job);
process.stdout.write(`${JSON.stringify(outcomes)}\n`);
process.exit(0);
