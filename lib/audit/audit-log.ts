/**
 * The audit log: every admin action, who did it, when, and the state before and after.
 * Writers pass the same transaction client their change runs in, so a change and its
 * audit row commit together or not at all. Secrets are masked here, once, so no caller
 * can forget to.
 */
import type { Db } from "../db/client.ts";
import { decodeCursor, encodeCursor } from "../db/keyset-cursor.ts";
import { maskSecrets } from "./mask-secrets.ts";

/** Anything with the auditEvent delegate: the client or a transaction client. */
type AuditWriter = Pick<Db, "auditEvent">;

export type AuditActor = { id: string; email: string } | null;

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
      actorId: event.actor?.id ?? null,
      actorEmail: event.actor?.email ?? null,
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
export async function listAuditEvents(db: Db, options: { cursor?: string | null; targetType?: string | null; limit?: number } = {}): Promise<{ data: AuditEventView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? AUDIT_PAGE_SIZE, 1), 200);
  const after = decodeCursor(options.cursor ?? null);
  const rows = await db.auditEvent.findMany({
    where: {
      ...(options.targetType ? { targetType: options.targetType } : {}),
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
