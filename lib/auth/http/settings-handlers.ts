import "server-only";
/** Console API for the signed-in account's settings. */
import { getCatalogSnapshot } from "../../catalog/catalog-cache.ts";
import { getDb } from "../../db/client.ts";
import { readJsonBody } from "../../http/api-error.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { getKeyVerifier } from "../../keys/key-auth.ts";
import { readAccountSettings, updateAccountSettings } from "../account-settings.ts";

/** The active account's settings (fallback model, content storage); in an organization its admins change them. */
export const handleGetSettings = consoleRoute(async ({ account }) =>
  jsonResponse({ data: await readAccountSettings(getDb(), account.id) }, { headers: { "cache-control": "no-store" } }),
);

export const handleUpdateSettings = consoleRoute(
  async ({ request, account }) => {
    const models = new Set((await getCatalogSnapshot()).models.map((m) => m.slug));
    const settings = await updateAccountSettings(getDb(), account.id, await readJsonBody(request), models);
    // The gateway reads the fallback and the content setting from the key cache: refresh this account's keys now.
    getKeyVerifier().invalidateUser(account.id);
    return jsonResponse({ data: settings }, { headers: { "cache-control": "no-store" } });
  },
  { accountAdmin: true },
);
