-- Per-key spend counters for spend limits (lib/billing/ledger.ts).
ALTER TABLE "ApiKey" ADD COLUMN "reservedNanoUsd" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "ApiKey" ADD COLUMN "spentDayNanoUsd" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "ApiKey" ADD COLUMN "spentDayPeriod" TEXT;
ALTER TABLE "ApiKey" ADD COLUMN "spentMonthNanoUsd" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "ApiKey" ADD COLUMN "spentMonthPeriod" TEXT;
