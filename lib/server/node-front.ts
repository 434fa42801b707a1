import "server-only";
/**
 * Hands the node door to scripts/serve.mjs (plain JavaScript, which cannot import lib/'s
 * TypeScript): instrumentation.ts, compiled by Next's build, calls this at start-up and
 * the server picks the door up from globalThis after Next's prepare().
 */
import { gatewayHandlers } from "./gateway.ts";
import { createNodeRouter } from "./node-door.ts";

export type NodeFront = { route: ReturnType<typeof createNodeRouter> };

export function handOverNodeDoor(): void {
  (globalThis as unknown as { switchyardNodeFront?: NodeFront }).switchyardNodeFront = { route: createNodeRouter(gatewayHandlers) };
}
