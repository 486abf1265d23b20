import { describe, expect, it } from 'vitest';
import { LIST_PAGE_SIZE, listInPages, type PageRequest } from '../../../k8s/listInPages.js';

/** A list of `total` objects served the way the kube-apiserver pages it, recording each request. */
function pagedList(total: number, tokenField: 'continue' | '_continue' = 'continue') {
  const requests: PageRequest[] = [];
  const list = (request: PageRequest) => {
    requests.push(request);
    const start = request._continue === undefined ? 0 : Number(request._continue.slice('after-'.length));
    const items = Array.from({ length: Math.min(request.limit, total - start) }, (_, i) => ({ n: start + i }));
    const next = start + items.length;
    // Every page carries the snapshot's resourceVersion; a later page's is the same in the kube-apiserver,
    // and made different here so that the test tells which one is kept.
    const metadata = {
      resourceVersion: String(100 + requests.length),
      ...(next < total && { [tokenField]: `after-${next}` }),
    };
    return Promise.resolve({ items, metadata });
  };
  return { list, requests };
}

describe('listInPages', () => {
  it('reads a large list a page at a time, in order, and resumes a watch from the first page', async () => {
    const { list, requests } = pagedList(1_234);
    const result = await listInPages(list);
    expect(result.items).toHaveLength(1_234);
    expect(result.items.map((item) => (item as { n: number }).n)).toEqual(Array.from({ length: 1_234 }, (_, i) => i));
    expect(result.metadata).toEqual({ resourceVersion: '101' });
    expect(requests).toEqual([
      { limit: LIST_PAGE_SIZE },
      { limit: LIST_PAGE_SIZE, _continue: 'after-500' },
      { limit: LIST_PAGE_SIZE, _continue: 'after-1000' },
    ]);
  });

  it('reads a list that fits in one page with one request, and an empty one as empty', async () => {
    const small = pagedList(3);
    expect((await listInPages(small.list)).items).toHaveLength(3);
    expect(small.requests).toHaveLength(1);
    const empty = pagedList(0);
    expect(await listInPages(empty.list)).toEqual({ items: [], metadata: { resourceVersion: '101' } });
  });

  it('follows the token the typed models name _continue', async () => {
    const { list, requests } = pagedList(700, '_continue');
    expect((await listInPages(list)).items).toHaveLength(700);
    expect(requests).toHaveLength(2);
  });

  it('fails the whole list when a page fails, keeping nothing of it', async () => {
    const { list } = pagedList(1_200);
    let calls = 0;
    const failing = (request: PageRequest) =>
      ++calls === 2 ? Promise.reject(new Error('410 Gone: the continue token expired')) : list(request);
    await expect(listInPages(failing)).rejects.toThrow('410 Gone');
  });
});
