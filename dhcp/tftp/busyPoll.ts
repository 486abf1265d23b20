/** Long enough for an ACK on loopback or a LAN switch, short enough to cost little when none comes. */
export const DEFAULT_TFTP_BUSY_POLL_MICROS = 100;

/**
 * Keeps the event loop polling its sockets without sleeping for a short while. A lock-step transfer
 * waits for one ACK per block; when the process sleeps in epoll between blocks, every ACK costs a
 * wake-up, which on a virtual machine is dearer than the block itself. Polling for the few
 * microseconds an ACK takes on a fast network turns each wake-up into a check (the idea of Linux's
 * SO_BUSY_POLL). One poller serves every transfer of a server, so it costs at most one core, and only
 * while a reply is expected within the window.
 */
export class BusyPoller {
  private until = 0;
  private running = false;

  private readonly windowMs: number;

  /** `windowMicros` 0 disables polling. */
  constructor(windowMicros: number) {
    this.windowMs = windowMicros / 1000;
  }

  /** Polls for the window from now on. */
  expectReply(): void {
    if (this.windowMs <= 0) return;
    this.until = performance.now() + this.windowMs;
    if (this.running) return;
    this.running = true;
    setImmediate(this.tick);
  }

  // A pending immediate makes libuv poll with a zero timeout instead of blocking.
  private readonly tick = (): void => {
    if (performance.now() < this.until) setImmediate(this.tick);
    else this.running = false;
  };
}
