import "server-only";
/**
 * POST /api/console/playground/chat: the playground's one door to the gateway. The browser
 * sends a Chat Completions body with its session cookie; this handler (same-origin and
 * session checks in consoleRoute) hands it to the gateway's own Chat Completions handler
 * in-process, authenticated with the user's short-lived playground key, and relays the
 * answer (status, x-switchyard-* headers, the stream) as the gateway wrote it. The key's
 * secret never leaves the server.
 */
import type { Exchange } from "../../gateway/exchange.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { gatewayHandlers } from "../../server/gateway.ts";
import { readBoundedBytes, responseOfAnswer } from "../../server/web-door.ts";
import { getPlaygroundKeyring } from "../playground-keyring.ts";

export const handlePlaygroundChat = consoleRoute(async ({ request, account }) => {
  // In an organization: its key, of the person's membership, so the call spends the organization's balance within their limits.
  const key = await getPlaygroundKeyring().keyFor(account.id, account.membershipId);
  // Only what the gateway needs: the browser's cookies and other headers stay here.
  const headers = new Headers({ "content-type": "application/json", authorization: `Bearer ${key.secret}` });
  const exchange: Exchange = {
    method: "POST",
    path: "/api/v1/chat/completions",
    headers,
    signal: request.signal,
    readBody: (maxBytes) => readBoundedBytes(request, maxBytes),
  };
  return responseOfAnswer(await gatewayHandlers.chat(exchange));
});
