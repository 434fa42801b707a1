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
};

const usd = (nano: bigint | null) => (nano === null ? null : formatNanoUsd(nano));

export function toApiKeyDto(key: ApiKeySummary): ApiKeyDto {
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
  };
}
