import "server-only";
/** Console API for the signed-in account's settings. */
import { getCatalogSnapshot } from "../../catalog/catalog-cache.ts";
import { getDb } from "../../db/client.ts";
import { readJsonBody } from "../../http/api-error.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { getKeyVerifier } from "../../keys/key-auth.ts";
import { readAccountSettings, updateAccountSettings } from "../account-settings.ts";

export const handleGetSettings = consoleRoute(async ({ user }) =>
  jsonResponse({ data: await readAccountSettings(getDb(), user.id) }, { headers: { "cache-control": "no-store" } }),
);

export const handleUpdateSettings = consoleRoute(async ({ request, user }) => {
  const models = new Set((await getCatalogSnapshot()).models.map((m) => m.slug));
  const settings = await updateAccountSettings(getDb(), user.id, await readJsonBody(request), models);
  // The gateway reads the fallback and the content setting from the key cache: refresh this account's keys now.
  getKeyVerifier().invalidateUser(user.id);
  return jsonResponse({ data: settings }, { headers: { "cache-control": "no-store" } });
});
