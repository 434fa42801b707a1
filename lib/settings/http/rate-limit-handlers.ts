import "server-only";
/** Console API (admins): the instance's rate-limit defaults and per-account overrides. */
import { settingsChanged } from "../../changes/cached-settings.ts";
import { getDb } from "../../db/client.ts";
import { readJsonBody } from "../../http/api-error.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { getKeyVerifier } from "../../keys/key-auth.ts";
import { listAccountRateLimits, setAccountRateLimit } from "../account-rate-limits.ts";
import { readRateLimitSettings, updateRateLimitSettings } from "../rate-limit-settings.ts";

const noStore = { "cache-control": "no-store" };

export const handleGetRateLimits = consoleRoute(
  async () => {
    const [settings, accounts] = await Promise.all([readRateLimitSettings(getDb()), listAccountRateLimits(getDb())]);
    return jsonResponse({ data: { settings, accounts } }, { headers: noStore });
  },
  { admin: true },
);

export const handleUpdateRateLimits = consoleRoute(
  async ({ request, user }) => {
    const saved = await updateRateLimitSettings(getDb(), await readJsonBody(request), user);
    // This instance applies it at once; the others when the change feed tells them.
    settingsChanged();
    return jsonResponse({ data: saved }, { headers: noStore });
  },
  { admin: true },
);

export const handleSetAccountRateLimit = consoleRoute(
  async ({ request, user }) => {
    const saved = await setAccountRateLimit(getDb(), await readJsonBody(request), user);
    // This instance applies it at once; the others through the change feed.
    getKeyVerifier().invalidateUser(saved.userId);
    return jsonResponse({ data: saved }, { headers: noStore });
  },
  { admin: true },
);
