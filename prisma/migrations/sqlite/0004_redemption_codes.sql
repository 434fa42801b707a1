-- Redemption codes (lib/billing/redemption.ts).
CREATE TABLE "RedemptionCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "code" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "valueNanoUsd" BIGINT NOT NULL,
    "expiresAt" DATETIME,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "redeemedById" TEXT,
    "redeemedAt" DATETIME
);
CREATE UNIQUE INDEX "RedemptionCode_code_key" ON "RedemptionCode"("code");
CREATE INDEX "RedemptionCode_batchId_idx" ON "RedemptionCode"("batchId");
CREATE INDEX "RedemptionCode_createdAt_idx" ON "RedemptionCode"("createdAt");
