/** Sign-in and sign-up attempts are throttled per email and per IP address. */
import { createMemoryRateLimiter } from "../rate-counters/memory-rate-limiter.ts";

function limitFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const byEmail = createMemoryRateLimiter({ limit: limitFromEnv("SIGN_IN_ATTEMPTS_PER_MINUTE", 10), windowMs: 60_000 });
const byIp = createMemoryRateLimiter({ limit: limitFromEnv("SIGN_IN_ATTEMPTS_PER_MINUTE_PER_IP", 10), windowMs: 60_000 });

export class TooManyAttemptsError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many sign-in attempts. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}.`);
    this.name = "TooManyAttemptsError";
  }
}

/** Counts one attempt; throws TooManyAttemptsError when the email or the IP is over the limit. */
export function countSignInAttempt(email: string | null, ip: string): void {
  const decisions = [byIp.take(`ip:${ip}`), ...(email ? [byEmail.take(`email:${email.trim().toLowerCase()}`)] : [])];
  const refused = decisions.filter((d) => !d.allowed);
  if (refused.length > 0) throw new TooManyAttemptsError(Math.ceil(Math.max(...refused.map((d) => d.retryAfterMs)) / 1000));
}
