import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../devstack/devstack.js';
import { runCommand } from '../../../devstack/runCommand.js';

/** Command lines of every process on the machine that mention `text`. */
async function processesMentioning(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text)) found.push(`${pid}: ${cmdline.replaceAll('\0', ' ')}`);
  }
  return found;
}

describe('make demo', () => {
  it('provisions Machines of both node types, leaves the one on the failing server Stuck, and cleans up', async () => {
    const result = await runCommand(process.execPath, [
      join(projectRoot, 'bin', 'metal3-provider.js'),
      'demo',
      '--exit-after-summary',
    ]);
    const out = result.stdout;
    expect(result.code, result.stderr).toBe(0);
    expect(out).toContain('applied NodeProvider/metal3-provider, OSImage/ubuntu-noble, SSHKey/ops');
    expect(out).toContain('created 5 compute and 3 GPU servers; compute-005 is set to fail provisioning');
    expect(out).toContain('every server is registered, inspected and available');
    expect(out).toMatch(/Demo summary \(\d+ s\): 5 Machines Ready, 1 Stuck, 0 other/);
    for (const name of ['compute-1', 'compute-2', 'compute-3']) {
      expect(out).toMatch(new RegExp(`\\n  ${name} +compute-node +Ready +compute-00[1-4] 10\\.0\\.0\\.(2\\d|30)/24`));
    }
    for (const name of ['gpu-1', 'gpu-2']) {
      expect(out).toMatch(new RegExp(`\\n  ${name} +gpu-server +Ready +gpu-00[1-3] 10\\.0\\.0\\.(4\\d|50)/24`));
    }
    expect(out).toMatch(/\n {2}compute-4 +compute-node +Stuck +compute-005 /);
    expect(out).toMatch(
      /Stuck Machines in the Temporal Web UI: http:\/\/127\.0\.0\.1:\d+\/namespaces\/default\/workflows\?query=MachinePhase%3D%22Stuck%22/,
    );
    expect(out).toContain('demo stopped; nothing left running');

    const dir = /logs in (\/\S+)\/demo-logs/.exec(out)?.[1] ?? '';
    expect(dir).not.toBe('');
    expect(existsSync(dir)).toBe(false);
    expect(await processesMentioning(dir)).toEqual([]);
  }, 300_000);
});
