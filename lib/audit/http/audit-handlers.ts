import "server-only";
/** Console API (admins): the audit log, newest first, a page at a time, optionally one target type. */
import { getDb } from "../../db/client.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { listAuditEvents, listAuditTargetTypes } from "../audit-log.ts";

export const handleListAudit = consoleRoute(
  async ({ request }) => {
    const params = new URL(request.url).searchParams;
    const [page, targetTypes] = await Promise.all([
      listAuditEvents(getDb(), { cursor: params.get("cursor"), targetType: params.get("targetType") }),
      listAuditTargetTypes(getDb()),
    ]);
    return jsonResponse({ ...page, targetTypes }, { headers: { "cache-control": "no-store" } });
  },
  { admin: true },
);
