-- Redemption codes (lib/billing/redemption.ts).
CREATE TABLE "RedemptionCode" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "valueNanoUsd" BIGINT NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "redeemedById" TEXT,
    "redeemedAt" TIMESTAMP(3),
    CONSTRAINT "RedemptionCode_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "RedemptionCode_code_key" ON "RedemptionCode"("code");
CREATE INDEX "RedemptionCode_batchId_idx" ON "RedemptionCode"("batchId");
CREATE INDEX "RedemptionCode_createdAt_idx" ON "RedemptionCode"("createdAt");
