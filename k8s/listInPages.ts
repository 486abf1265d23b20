/** Objects per list request. The kube-apiserver's own clients (informers, kubectl) page at 500 too. */
export const LIST_PAGE_SIZE = 500;

/** A list of objects, as the client library's list calls answer and its informers read one. */
export interface ObjectList<T> {
  items: T[];
  metadata: { resourceVersion?: string };
}

/** What one page of a list answers: its objects, and a continue token while more follow. */
interface ListPage {
  items?: unknown[];
  metadata?: { resourceVersion?: string; continue?: string; _continue?: string };
}

/** The paging arguments of a client library list call. */
export interface PageRequest {
  limit: number;
  _continue?: string;
}

/**
 * Every object of a list, read LIST_PAGE_SIZE at a time. One answer holding a whole fleet (10,000 hosts are
 * about 30 MB of JSON) is held at once as bytes, as text and parsed, by the kube-apiserver and by the
 * reader; in pages, only one page is. The pages of a list are one snapshot, whose resourceVersion (the
 * first page's) a watch resumes from, as from a list in one answer. A continue token that expires
 * mid-list (410) fails the list: callers list again, as after any failed list.
 */
export async function listInPages(list: (page: PageRequest) => Promise<unknown>): Promise<ObjectList<unknown>> {
  const items: unknown[] = [];
  let resourceVersion: string | undefined;
  let token: string | undefined;
  do {
    const page = (await list({ limit: LIST_PAGE_SIZE, ...(token !== undefined && { _continue: token }) })) as ListPage;
    resourceVersion ??= page.metadata?.resourceVersion;
    for (const item of page.items ?? []) items.push(item);
    token = page.metadata?.continue ?? page.metadata?._continue;
  } while (token);
  return { items, metadata: resourceVersion === undefined ? {} : { resourceVersion } };
}
