/**
 * Waiting for something a server does a moment after it answers (a batched write, a
 * settlement, a log line), on vi.waitFor: `read` is retried every `intervalMs` until
 * `ok(value)`. On timeout it returns the last value, so the caller's own expect shows what
 * was there, or, given `what`, throws naming it with that value.
 */
import { vi } from "vitest";

type PollOptions = { timeoutMs?: number; intervalMs?: number; what?: string };

const shown = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

export async function poll<T>(
  read: () => Promise<T> | T,
  ok: (value: T) => boolean,
  { timeoutMs = 5000, intervalMs = 25, what }: PollOptions = {},
): Promise<T> {
  let last: { value: T } | undefined;
  try {
    return await vi.waitFor(
      async () => {
        const value = await read();
        last = { value };
        if (!ok(value)) throw new Error("not yet");
        return value;
      },
      { timeout: timeoutMs, interval: intervalMs },
    );
  } catch (error) {
    if (what) throw new Error(`timed out waiting for ${what}; last: ${last ? shown(last.value) : (error as Error).message}`);
    if (!last) throw error;
    return last.value;
  }
}

/** Waits for `read` to give something truthy; throws naming `what` when it never does. */
export async function pollFor<T>(what: string, read: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, intervalMs = 25): Promise<T> {
  return (await poll(read, (value) => Boolean(value), { timeoutMs, intervalMs, what })) as T;
}
