/** Pure, so the audit page (a client component) can use it. */
import type { AuditEventView } from "./audit-log.ts";

/** How the audit page names who acted: the email, "CLI (alice)", or "system". */
export function describeAuditActor(event: Pick<AuditEventView, "actorKind" | "actorEmail" | "actorName">): string {
  if (event.actorKind === "cli") return event.actorName ? `CLI (${event.actorName})` : "CLI";
  return event.actorEmail ?? "system";
}
