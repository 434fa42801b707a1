import "server-only";
/** Console API (admins): accounts, roles, suspension and balance adjustments. */
import { getDb } from "../../db/client.ts";
import { readJsonBody } from "../../http/api-error.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { adjustBalanceByAdmin, listAdminUsers, updateUserByAdmin } from "../user-admin.ts";

const noStore = { "cache-control": "no-store" };
type IdParams = { id: string };

export const handleListUsers = consoleRoute(async () => jsonResponse({ data: await listAdminUsers(getDb()) }, { headers: noStore }), { admin: true });

export const handleUpdateUser = consoleRoute<IdParams>(
  async ({ request, user, params }) =>
    jsonResponse({ data: await updateUserByAdmin(getDb(), user, params.id, await readJsonBody(request)) }, { headers: noStore }),
  { admin: true },
);

export const handleAdjustBalance = consoleRoute<IdParams>(
  async ({ request, user, params }) =>
    jsonResponse({ data: await adjustBalanceByAdmin(getDb(), user, params.id, await readJsonBody(request)) }, { headers: noStore }),
  { admin: true },
);
