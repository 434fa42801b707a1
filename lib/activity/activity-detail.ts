/**
 * One generation as the console's detail panel shows it: the public generation record
 * (the same JSON GET /api/v1/generation returns), who made it with which key, and the
 * stored request and response bodies when the account had opted in.
 */
import type { Db } from "../db/client.ts";
import { keyCondition } from "./activity-filters.ts";
import { accountLabel } from "./activity-query.ts";
import { toGenerationRecord, type GenerationRow } from "./generation-record.ts";

export type ActivityDetailDto = {
  record: ReturnType<typeof toGenerationRecord>;
  /** the client's and the serving upstream's protocols as records name them (protocol-names.ts), not the record's public spelling */
  protocols: { client: string; upstream: string | null };
  account: string;
  /** in an organization, the member whose key made the call */
  member: string | null;
  apiKey: { id: string; name: string; start: string } | null;
  content: { requestBody: string; responseBody: string | null; truncated: boolean; storedAt: string } | null;
};

/**
 * `userId` null = any account (admins); `apiKeyIds`: only calls of these keys (an organization
 * member's own). Null when there is no such generation in scope.
 */
export async function findActivityDetail(db: Db, id: string, userId: string | null, apiKeyIds: string[] | null = null): Promise<ActivityDetailDto | null> {
  const row = await db.generation.findFirst({
    where: { id, ...(userId ? { userId } : {}), ...keyCondition(null, apiKeyIds) },
    include: {
      attempts: true,
      content: true,
      user: { select: { email: true, kind: true, name: true } },
      apiKey: { select: { name: true, start: true, membership: { select: { user: { select: { email: true } } } } } },
    },
  });
  if (!row) return null;
  return {
    record: toGenerationRecord(row as GenerationRow),
    protocols: { client: row.api, upstream: row.upstreamApi },
    account: accountLabel(row.user),
    member: row.apiKey?.membership?.user.email ?? null,
    apiKey: row.apiKeyId && row.apiKey ? { id: row.apiKeyId, name: row.apiKey.name, start: row.apiKey.start } : null,
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
