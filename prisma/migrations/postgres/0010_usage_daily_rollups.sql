-- Daily usage rollups (UTC days) beside the hourly ones, backfilled from them: charts over
-- days and months read ~24 times fewer rows (lib/activity/usage-query.ts).
CREATE TABLE "UsageDailyRollup" (
    "day" TIMESTAMP(3) NOT NULL,
    "userId" TEXT NOT NULL,
    "apiKeyId" TEXT NOT NULL,
    "modelSlug" TEXT NOT NULL,
    "providerSlug" TEXT NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "promptTokens" BIGINT NOT NULL DEFAULT 0,
    "completionTokens" BIGINT NOT NULL DEFAULT 0,
    "cacheReadTokens" BIGINT NOT NULL DEFAULT 0,
    "cacheWriteTokens" BIGINT NOT NULL DEFAULT 0,
    "reasoningTokens" BIGINT NOT NULL DEFAULT 0,
    "costNanoUsd" BIGINT NOT NULL DEFAULT 0,
    "ttftMsSum" BIGINT NOT NULL DEFAULT 0,
    "ttftCount" INTEGER NOT NULL DEFAULT 0,
    "latencyMsSum" BIGINT NOT NULL DEFAULT 0,
    "throughputSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "throughputCount" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "UsageDailyRollup_pkey" PRIMARY KEY ("day", "userId", "apiKeyId", "modelSlug", "providerSlug")
);
CREATE INDEX "UsageDailyRollup_userId_day_idx" ON "UsageDailyRollup"("userId", "day");
CREATE INDEX "UsageDailyRollup_providerSlug_day_idx" ON "UsageDailyRollup"("providerSlug", "day");
INSERT INTO "UsageDailyRollup" ("day", "userId", "apiKeyId", "modelSlug", "providerSlug", "requests", "errors", "promptTokens", "completionTokens", "cacheReadTokens", "cacheWriteTokens", "reasoningTokens", "costNanoUsd", "ttftMsSum", "ttftCount", "latencyMsSum", "throughputSum", "throughputCount")
SELECT date_trunc('day', "hour"), "userId", "apiKeyId", "modelSlug", "providerSlug", SUM("requests"), SUM("errors"), SUM("promptTokens"), SUM("completionTokens"), SUM("cacheReadTokens"), SUM("cacheWriteTokens"), SUM("reasoningTokens"), SUM("costNanoUsd"), SUM("ttftMsSum"), SUM("ttftCount"), SUM("latencyMsSum"), SUM("throughputSum"), SUM("throughputCount")
FROM "UsageRollup"
GROUP BY 1, 2, 3, 4, 5;
