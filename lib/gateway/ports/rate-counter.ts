/** The port rate limits count in (lib/rate-counters implements it: memory, or Redis shared by instances). */

/** One-minute fixed windows of counters, shared by every instance that shares the store. */
export interface RateCounter {
  /** Adds to the counter's current window; answers the window's new total and the time until it resets. */
  add(key: string, amount: number): Promise<{ total: number; resetInMs: number }>;
  /** Takes a refund back out of the current window. */
  remove(key: string, amount: number): Promise<void>;
}
