/**
 * One generation as the console's detail panel shows it: the public generation record
 * (the same JSON GET /api/v1/generation returns), who made it with which key, and the
 * stored request and response bodies when the account had opted in.
 */
import type { Db } from "../db/client.ts";
import { toGenerationRecord, type GenerationRow } from "./generation-record.ts";

export type ActivityDetailDto = {
  record: ReturnType<typeof toGenerationRecord>;
  /** the client's and the serving upstream's protocols as records name them (protocol-names.ts), not the record's public spelling */
  protocols: { client: string; upstream: string | null };
  account: string;
  apiKey: { id: string; name: string; start: string } | null;
  content: { requestBody: string; responseBody: string | null; truncated: boolean; storedAt: string } | null;
};

/** `userId` null = any account (admins). Null when there is no such generation in scope. */
export async function findActivityDetail(db: Db, id: string, userId: string | null): Promise<ActivityDetailDto | null> {
  const row = await db.generation.findFirst({
    where: { id, ...(userId ? { userId } : {}) },
    include: { attempts: true, content: true, user: { select: { email: true } }, apiKey: { select: { name: true, start: true } } },
  });
  if (!row) return null;
  return {
    record: toGenerationRecord(row as GenerationRow),
    protocols: { client: row.api, upstream: row.upstreamApi },
    account: row.user.email,
    apiKey: row.apiKeyId && row.apiKey ? { id: row.apiKeyId, ...row.apiKey } : null,
    content: row.content
      ? {
          requestBody: row.content.requestBody,
          responseBody: row.content.responseBody,
          truncated: row.content.truncated,
          storedAt: row.content.createdAt.toISOString(),
        }
      : null,
  };
}
