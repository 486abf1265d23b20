/**
 * Which hosts the simulator looks at on its next pass, as a controller's work queue decides: a host
 * that is new or changed since it was last looked at, one whose BMC Secret changed, and one whose
 * requeue time has come. A host that is idle with nothing due costs nothing, however many there are.
 */
export class HostQueue {
  private readonly dirty = new Set<string>();
  private readonly dueAt = new Map<string, number>();
  /**
   * Hosts just written, by the resourceVersion the write replaced: while the cache still shows that
   * version the write has not come back through the watch, and a step from it would only get a 409.
   */
  private readonly written = new Map<string, { replaced: string; until: number }>();
  private readonly hostsBySecret = new Map<string, Set<string>>();
  private readonly secretByHost = new Map<string, string>();

  changed(name: string): void {
    this.dirty.add(name);
  }

  changedAll(names: Iterable<string>): void {
    for (const name of names) this.dirty.add(name);
  }

  /** Marks the hosts last seen using this BMC Secret. */
  secretChanged(secret: string): void {
    for (const host of this.hostsBySecret.get(secret) ?? []) this.dirty.add(host);
  }

  /** The hosts to look at now; each leaves the queue until it is requeued or changes again. */
  take(now: number): string[] {
    const names = new Set(this.dirty);
    this.dirty.clear();
    for (const [name, at] of this.dueAt) if (at <= now) names.add(name);
    for (const name of names) this.dueAt.delete(name);
    return [...names];
  }

  /** Milliseconds until a host is due: 0 when one has changed, Infinity when none waits. */
  nextDueIn(now: number): number {
    if (this.dirty.size > 0) return 0;
    let next = Number.POSITIVE_INFINITY;
    for (const at of this.dueAt.values()) next = Math.min(next, at - now);
    return Math.max(0, next);
  }

  /** Look at the host again in `ms` (Infinity: only once it changes). */
  requeue(name: string, ms: number, now: number): void {
    this.written.delete(name);
    if (Number.isFinite(ms)) this.dueAt.set(name, now + Math.max(0, ms));
  }

  /**
   * The host was written over version `replaced`: look at it again when the watch brings the write,
   * or at `until` should the watch not (a lost watch is listed again, which marks every host changed).
   */
  wrote(name: string, replaced: string, until: number): void {
    this.written.set(name, { replaced, until });
    this.dueAt.set(name, until);
  }

  /** Whether the cache still shows the version the host's last write replaced; if so it stays due at the bound. */
  awaitingWrite(name: string, resourceVersion: string | undefined, now: number): boolean {
    const write = this.written.get(name);
    if (!write) return false;
    if (write.replaced === resourceVersion && now < write.until) {
      this.dueAt.set(name, write.until);
      return true;
    }
    this.written.delete(name);
    return false;
  }

  /** Records which BMC Secret the host uses, so a change to the Secret marks the host. */
  uses(host: string, secret: string | undefined): void {
    const before = this.secretByHost.get(host);
    if (before === secret) return;
    if (before !== undefined) this.unlink(host, before);
    if (secret === undefined) return;
    this.secretByHost.set(host, secret);
    let hosts = this.hostsBySecret.get(secret);
    if (!hosts) this.hostsBySecret.set(secret, (hosts = new Set()));
    hosts.add(host);
  }

  /** A deleted host. */
  forget(name: string): void {
    this.dirty.delete(name);
    this.dueAt.delete(name);
    this.written.delete(name);
    const secret = this.secretByHost.get(name);
    if (secret !== undefined) this.unlink(name, secret);
  }

  private unlink(host: string, secret: string): void {
    this.secretByHost.delete(host);
    const hosts = this.hostsBySecret.get(secret);
    hosts?.delete(host);
    if (hosts?.size === 0) this.hostsBySecret.delete(secret);
  }
}
