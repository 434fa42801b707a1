/**
 * Whether this server runs in demo mode. The start script (scripts/serve.mjs) turns
 * `--demo` or a true SWITCHYARD_DEMO into SWITCHYARD_DEMO=1 for the preparation and the
 * server, and refuses any other value, so the server only checks for "1".
 */
export function isDemoMode(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env.SWITCHYARD_DEMO === "1";
}

/** Demo credit for new accounts when TRIAL_CREDIT_USD is not set. */
export const DEMO_CREDIT_USD = "10";
