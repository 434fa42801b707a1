/**
 * Graceful shutdown for generations: counts the requests in flight (a stream counts
 * until it has settled), refuses new ones once draining starts, and resolves when the
 * last one has settled, so their records and charges are written before the process exits.
 */
export class RequestDrain {
  private active = 0;
  private draining = false;
  private waiters: (() => void)[] = [];

  /** A release function for a new request, or null when draining (refuse the request). */
  begin(): (() => void) | null {
    if (this.draining) return null;
    this.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      if (this.active === 0) for (const wake of this.waiters.splice(0)) wake();
    };
  }

  get inFlight(): number {
    return this.active;
  }

  /** Stops admitting requests; resolves true when all have settled, false at the timeout. */
  drain(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    if (this.active === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
