/**
 * The render pool: rendering in worker threads, with a deadline, a memory limit and the step budget,
 * threads replaced after they are stopped, and the pool serving on afterwards. No timing is asserted:
 * the limits are checked by the errors they produce, and timeouts are only generous test timeouts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PropertyKeys } from '../../../api/properties/keys.js';
import { RenderLimitError, UserDataError } from '../../../render/errors.js';
import { renderMachineData } from '../../../render/machineData.js';
import type { MachineRenderInput } from '../../../render/renderSpec.js';
import { RenderPool } from '../../../render/renderPool.js';
import { effectiveOf, exampleAnnotations, nodeClaim, renderInput, type UnparsedRenderInput } from './fixtures.js';

const claim = nodeClaim('worker-1');

function input(
  properties: Record<string, string>,
  templates: UnparsedRenderInput['templates'] = {},
): MachineRenderInput {
  return renderInput({
    claim,
    effective: effectiveOf(properties),
    sshKeys: [],
    templates,
    registrationCommands: ['echo joined'],
  });
}

const normal = input({ [PropertyKeys.userDataTemplate]: '#cloud-config\nhostname: {{ .NodeClaim.Name }}\n' });

/** Allocates and keeps ever larger lists: only the heap limit stops it. */
const memoryHog =
  '#cloud-config\n{{ $l := list }}{{ range 100000 }}{{ $l = list $l (splitList "" (repeat 100000 "ab")) }}{{ end }}';

async function limitError(promise: Promise<unknown>): Promise<RenderLimitError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RenderLimitError);
  return error as RenderLimitError;
}

describe('RenderPool', () => {
  // One thread, so that every test below also shows that a replaced thread serves the next request.
  const pool = new RenderPool({ threads: 1, timeoutMs: 300, memoryMb: 64, maxSteps: 1e12 });
  afterAll(() => pool.close());

  it('renders what renderMachineData renders in-process, for the spec example', async () => {
    const example = input({
      [PropertyKeys.userDataTemplate]: exampleAnnotations('user-data-template-annotation-fragment.yaml')[
        PropertyKeys.userDataTemplate
      ] as string,
    });
    expect(await pool.render(example)).toEqual(renderMachineData(example));
  }, 60_000);

  it('stops a runaway loop at its deadline, naming the limit and the position, and serves on', async () => {
    const error = await limitError(
      pool.render(
        input({ [PropertyKeys.userDataTemplate]: '#cloud-config\n\n  {{ range $i := 1000000000000 }}{{ end }}' }),
      ),
    );
    expect(error.limit).toBe('deadline');
    expect(error.property).toBe(PropertyKeys.userDataTemplate);
    expect(error.message).toMatch(
      /^vcluster\.com\/user-data-template \(set in node type "compute-node" properties\) at vcluster\.com\/user-data-template:3:\d+: exceeded the time limit of 300 ms$/,
    );
    expect((await pool.render(normal)).userData).toContain('hostname: worker-1');
  }, 60_000);

  it('terminates a thread that runs out of memory, says where it was, and replaces it', async () => {
    // A deadline far away, so that only the heap limit can stop the hog.
    const small = new RenderPool({ threads: 1, timeoutMs: 100_000, memoryMb: 64, maxSteps: 1e12 });
    try {
      const error = await limitError(
        small.render(
          input({ [PropertyKeys.userDataTemplateSecret]: 'loft/hog' }, { userDataTemplateSecret: memoryHog }),
        ),
      );
      expect(error.limit).toBe('memory');
      expect(error.message).toMatch(
        /^vcluster\.com\/user-data-template-secret \(set in .*\) Secret "loft\/hog" at hog:2:\d+: exceeded the memory limit of 64 MiB$/,
      );
      expect(small.replacedThreads).toBe(1);
      expect((await small.render(normal)).userData).toContain('hostname: worker-1');
    } finally {
      await small.close();
    }
  }, 120_000);

  it('terminates a thread whose single step outlasts the deadline, and replaces it', async () => {
    const before = pool.replacedThreads;
    // One function call over a large string: no checkpoint comes between, so the pool stops the thread.
    const slowStep = '#cloud-config\n# {{ sha256sum (repeat 8000000 "abcdefgh") }}';
    // No grace: the pool, not the thread's own check after the step, is what stops it. The 64 MB
    // `repeat` costs a million steps, so the budget is raised past it: the deadline is what is tested.
    const big = new RenderPool({ threads: 1, timeoutMs: 300, graceMs: 0, memoryMb: 512, maxSteps: 2_000_000 });
    try {
      // A warm thread, so that its first steps come long before the deadline even on a loaded machine.
      await big.render(normal);
      const error = await limitError(big.render(input({ [PropertyKeys.userDataTemplate]: slowStep })));
      expect(error.limit).toBe('deadline');
      expect(error.message).toMatch(/at vcluster\.com\/user-data-template:2:\d+: exceeded the time limit of 300 ms$/);
      expect(big.replacedThreads).toBe(1);
      expect((await big.render(normal)).userData).toContain('hostname: worker-1');
    } finally {
      await big.close();
    }
    expect(pool.replacedThreads).toBe(before);
  }, 120_000);

  it("stops a derivePassword call midway at the thread's time limit, from inside the call, keeping the thread", async () => {
    // Grace long enough that only the thread's own checkpoint (asked inside scrypt), not the pool, can stop it.
    const slow = new RenderPool({ threads: 1, timeoutMs: 300, graceMs: 60_000 });
    try {
      const template = '#cloud-config\npassword: {{ derivePassword 1 "long" "password" "user" "example.com" }}\n';
      const error = await limitError(slow.render(input({ [PropertyKeys.userDataTemplate]: template })));
      expect(error.limit).toBe('deadline');
      expect(error.message).toMatch(/user-data-template:2:\d+: exceeded the time limit of 300 ms$/);
      expect(slow.replacedThreads).toBe(0);
    } finally {
      await slow.close();
    }
  }, 120_000);

  it('applies the step budget in the thread', async () => {
    const budgeted = new RenderPool({ threads: 1, maxSteps: 50 });
    try {
      const error = await limitError(
        budgeted.render(input({ [PropertyKeys.networkDataTemplate]: '{{ range 51 }}{{ end }}' })),
      );
      expect(error.limit).toBe('steps');
      expect(error.message).toMatch(/at vcluster\.com\/network-data-template:1:\d+: exceeded the step budget of 50 /);
      expect(budgeted.replacedThreads).toBe(0);
    } finally {
      await budgeted.close();
    }
  }, 60_000);

  it('passes template errors back with their class, the safe message and the detail', async () => {
    const failure = await pool.render(input({ [PropertyKeys.userDataTemplate]: '{{ fail "s3cr3t" }}' })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(UserDataError);
    const error = failure as UserDataError;
    expect(error.message).toMatch(/at vcluster\.com\/user-data-template:1:3: error calling fail$/);
    expect(error.detail).toContain('s3cr3t');
  }, 60_000);

  it('queues requests beyond its threads and answers them in arrival order', async () => {
    const order: number[] = [];
    const requests = Array.from({ length: 6 }, (_, i) =>
      pool.render(input({ [PropertyKeys.userDataTemplate]: `#cloud-config\nhostname: n{{ ${i} }}\n` })).then((data) => {
        order.push(i);
        return data.userData;
      }),
    );
    const results = await Promise.all(requests);
    expect(results.map((text) => /hostname: (n\d)/.exec(text)?.[1])).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5']);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  }, 60_000);

  it('refuses requests once closed', async () => {
    const closed = new RenderPool({ threads: 1 });
    await closed.close();
    await expect(closed.render(normal)).rejects.toThrow('the render pool is closed');
  });
});
