/** API keys as the console API sends them: money as USD decimal strings, dates as ISO strings. */
import { formatNanoUsd } from "../gateway/metering/money.ts";
import type { ApiKeySummary, ApiKeyStatus } from "./api-key-service.ts";

export type ApiKeyDto = {
  id: string;
  name: string;
  start: string;
  status: ApiKeyStatus;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  allowedModels: string[] | null;
  spendLimitTotalUsd: string | null;
  spendLimitDayUsd: string | null;
  spendLimitMonthUsd: string | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  spentUsd: string;
  /** an organization key's creator (email); null for a personal key */
  creator: string | null;
  /** the viewer created it (or owns the personal account): they may edit its limits */
  yours: boolean;
};

const usd = (nano: bigint | null) => (nano === null ? null : formatNanoUsd(nano));

/** `viewerEmail`: who is looking; an organization key is theirs when they created it. */
export function toApiKeyDto(key: ApiKeySummary, viewerEmail: string | null = null): ApiKeyDto {
  return {
    id: key.id,
    name: key.name,
    start: key.start,
    status: key.status,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    allowedModels: key.allowedModels,
    spendLimitTotalUsd: usd(key.spendLimitTotalNanoUsd),
    spendLimitDayUsd: usd(key.spendLimitDayNanoUsd),
    spendLimitMonthUsd: usd(key.spendLimitMonthNanoUsd),
    rpmLimit: key.rpmLimit,
    tpmLimit: key.tpmLimit,
    spentUsd: formatNanoUsd(key.spentNanoUsd),
    creator: key.creator,
    yours: key.creator === null || key.creator === viewerEmail,
  };
}
