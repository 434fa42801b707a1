import "server-only";
/**
 * Hands the node door to scripts/serve.mjs (plain JavaScript, which cannot import lib/'s
 * TypeScript): instrumentation.ts, compiled by Next's build, calls this at start-up and
 * the server picks the door up from globalThis after Next's prepare().
 */
import { createAccessLog, dispatchWithAccessNote } from "./access-log.ts";
import { accessLogSettings } from "./access-log-settings.ts";
import { gatewayHandlers } from "./gateway.ts";
import { createNodeRouter } from "./node-door.ts";

export type NodeFront = {
  route: ReturnType<typeof createNodeRouter>;
  observe?: ReturnType<typeof createAccessLog>;
  dispatchWithAccessNote: typeof dispatchWithAccessNote;
};

export function handOverNodeDoor(): void {
  (globalThis as unknown as { switchyardNodeFront?: NodeFront }).switchyardNodeFront = {
    route: createNodeRouter(gatewayHandlers),
    // LOG_FORMAT and LOG_LEVEL were checked by the start-up's preparation.
    observe: createAccessLog(accessLogSettings(process.env)),
    dispatchWithAccessNote,
  };
}
