import "server-only";
/** Console API (admins): the health probe setting. */
import { settingsChanged } from "../../changes/cached-settings.ts";
import { getDb } from "../../db/client.ts";
import { readJsonBody } from "../../http/api-error.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { readHealthProbeSettings, updateHealthProbeSettings } from "../health-probe-settings.ts";

const noStore = { "cache-control": "no-store" };

export const handleGetHealthProbes = consoleRoute(async () => jsonResponse({ data: await readHealthProbeSettings(getDb()) }, { headers: noStore }), {
  admin: true,
});

export const handleUpdateHealthProbes = consoleRoute(
  async ({ request, user }) => {
    const saved = await updateHealthProbeSettings(getDb(), await readJsonBody(request), user);
    settingsChanged();
    return jsonResponse({ data: saved }, { headers: noStore });
  },
  { admin: true },
);
