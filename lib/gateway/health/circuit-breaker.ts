/**
 * One endpoint's circuit breaker. Closed: traffic flows. Open: after
 * `failureThreshold` consecutive failures, or an error rate of at least
 * `errorRateThreshold` over the last `minRequests` outcomes inside `rateWindowMs`;
 * the router skips the endpoint for `cooldownMs`. Half-open: after the cooldown one
 * probe request is let through; its success closes the circuit, its failure reopens it.
 */
export type CircuitState = "closed" | "open" | "half_open";

export type CircuitOptions = {
  failureThreshold: number;
  errorRateThreshold: number;
  minRequests: number;
  rateWindowMs: number;
  cooldownMs: number;
};

export const DEFAULT_CIRCUIT_OPTIONS: CircuitOptions = {
  failureThreshold: 5,
  errorRateThreshold: 0.5,
  minRequests: 10,
  rateWindowMs: 60_000,
  cooldownMs: 30_000,
};

export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAt: number | null = null;
  private probeInFlight = false;
  private recent: { at: number; ok: boolean }[] = [];

  constructor(
    private readonly options: CircuitOptions = DEFAULT_CIRCUIT_OPTIONS,
    private readonly now: () => number = Date.now,
  ) {}

  state(): CircuitState {
    if (this.openedAt === null) return "closed";
    return this.now() - this.openedAt >= this.options.cooldownMs ? "half_open" : "open";
  }

  /** Whether a request may go to this endpoint now; in half-open, only one probe at a time. */
  tryAcquire(): boolean {
    const state = this.state();
    if (state === "closed") return true;
    if (state === "open" || this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.remember(true);
    this.consecutiveFailures = 0;
    this.openedAt = null;
    this.probeInFlight = false;
  }

  recordFailure(): void {
    this.remember(false);
    this.consecutiveFailures += 1;
    const wasProbe = this.probeInFlight;
    this.probeInFlight = false;
    if (wasProbe || this.consecutiveFailures >= this.options.failureThreshold || this.errorRateTripped()) {
      this.openedAt = this.now();
    }
  }

  /** A request that ended without a verdict (e.g. the client left) frees the probe slot. */
  release(): void {
    this.probeInFlight = false;
  }

  private remember(ok: boolean) {
    const at = this.now();
    this.recent.push({ at, ok });
    const horizon = at - this.options.rateWindowMs;
    while (this.recent.length > 0 && (this.recent[0].at < horizon || this.recent.length > 200)) this.recent.shift();
  }

  private errorRateTripped(): boolean {
    const window = this.recent.slice(-this.options.minRequests);
    if (window.length < this.options.minRequests) return false;
    return window.filter((r) => !r.ok).length / window.length >= this.options.errorRateThreshold;
  }
}
