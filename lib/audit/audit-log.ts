/**
 * The audit log: every admin action, who did it, when, and the state before and after.
 * Writers pass the same transaction client their change runs in, so a change and its
 * audit row commit together or not at all. Secrets are masked here, once, so no caller
 * can forget to.
 */
import { userInfo } from "node:os";
import type { Db } from "../db/client.ts";
import { decodeCursor, encodeCursor } from "../db/keyset-cursor.ts";
import { maskSecrets } from "./mask-secrets.ts";

/** Anything with the auditEvent delegate: the client or a transaction client. */
type AuditWriter = Pick<Db, "auditEvent">;

/** A signed-in console user. */
export type UserActor = { id: string; email: string };
/** `npm run cli`: no account, the operating-system user that ran the command. */
export type CliActor = { kind: "cli"; osUser: string };
/** null: the system itself. */
export type AuditActor = UserActor | CliActor | null;

export type AuditActorKind = "user" | "cli" | "system";

/** The CLI as an actor, named by the OS user (USER when userInfo() cannot answer, e.g. no passwd entry). */
export function cliActor(): CliActor {
  let osUser: string;
  try {
    osUser = userInfo().username;
  } catch {
    osUser = process.env.USER ?? process.env.USERNAME ?? "unknown";
  }
  return { kind: "cli", osUser };
}

export function isCliActor(actor: AuditActor): actor is CliActor {
  return actor !== null && "kind" in actor && actor.kind === "cli";
}

function actorColumns(actor: AuditActor): { actorId: string | null; actorEmail: string | null; actorKind: AuditActorKind; actorName: string | null } {
  if (actor === null) return { actorId: null, actorEmail: null, actorKind: "system", actorName: null };
  if (isCliActor(actor)) return { actorId: null, actorEmail: null, actorKind: "cli", actorName: actor.osUser };
  return { actorId: actor.id, actorEmail: actor.email, actorKind: "user", actorName: null };
}

export type AuditEventInput = {
  actor: AuditActor;
  /** dotted verb: "provider.create", "user.suspend" */
  action: string;
  targetType: string;
  targetId?: string | null;
  targetLabel?: string | null;
  before?: unknown;
  after?: unknown;
};

function toJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(maskSecrets(value), (_field, inner: unknown) => (typeof inner === "bigint" ? inner.toString() : inner));
}

export async function recordAuditEvent(db: AuditWriter, event: AuditEventInput): Promise<void> {
  await db.auditEvent.create({
    data: {
      ...actorColumns(event.actor),
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId ?? null,
      targetLabel: event.targetLabel ?? null,
      before: toJson(event.before),
      after: toJson(event.after),
    },
  });
}

export type AuditEventView = {
  id: string;
  createdAt: string;
  actorEmail: string | null;
  actorKind: string;
  actorName: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  targetLabel: string | null;
  before: unknown;
  after: unknown;
};

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export const AUDIT_PAGE_SIZE = 50;

/** Newest first, keyset-paginated on (createdAt, id); optionally one target type. */
export async function listAuditEvents(
  db: Db,
  /** `targetId`: one thing's trail (an organization's: its members, limits, invitations, credits) */
  options: { cursor?: string | null; targetType?: string | null; targetId?: string | null; limit?: number } = {},
): Promise<{ data: AuditEventView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? AUDIT_PAGE_SIZE, 1), 200);
  const after = decodeCursor(options.cursor ?? null);
  const rows = await db.auditEvent.findMany({
    where: {
      ...(options.targetType ? { targetType: options.targetType } : {}),
      ...(options.targetId ? { targetId: options.targetId } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map((row) => ({ ...row, createdAt: row.createdAt.toISOString(), before: parse(row.before), after: parse(row.after) })),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}

/** The target types that have events, for the page's filter. */
export async function listAuditTargetTypes(db: Db): Promise<string[]> {
  const rows = await db.auditEvent.findMany({ distinct: ["targetType"], select: { targetType: true }, orderBy: { targetType: "asc" } });
  return rows.map((row) => row.targetType);
}
