import "server-only";
/** Console API (instance admins): how many organizations a person may create and join, and their size. */
import { getDb } from "../../db/client.ts";
import { readJsonBody } from "../../http/api-error.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { readOrganizationLimitSettings, updateOrganizationLimitSettings } from "../organization-limit-settings.ts";

const noStore = { "cache-control": "no-store" };

export const handleGetOrganizationLimits = consoleRoute(
  async () => jsonResponse({ data: await readOrganizationLimitSettings(getDb()) }, { headers: noStore }),
  {
    admin: true,
  },
);

export const handleUpdateOrganizationLimits = consoleRoute(
  async ({ request, user }) => jsonResponse({ data: await updateOrganizationLimitSettings(getDb(), await readJsonBody(request), user) }, { headers: noStore }),
  { admin: true },
);
