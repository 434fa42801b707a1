-- Activity logs and analytics (step 6): filter indexes, throughput in rollups, opt-in content.
CREATE INDEX "Generation_userId_providerSlug_createdAt_idx" ON "Generation"("userId", "providerSlug", "createdAt");
CREATE INDEX "Generation_userId_modelSlug_createdAt_idx" ON "Generation"("userId", "modelSlug", "createdAt");
CREATE INDEX "Generation_userId_status_createdAt_idx" ON "Generation"("userId", "status", "createdAt");
CREATE INDEX "Generation_providerSlug_createdAt_idx" ON "Generation"("providerSlug", "createdAt");
CREATE INDEX "Generation_modelSlug_createdAt_idx" ON "Generation"("modelSlug", "createdAt");

ALTER TABLE "UsageRollup" ADD COLUMN "throughputSum" DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE "UsageRollup" ADD COLUMN "throughputCount" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "GenerationContent" (
    "generationId" TEXT NOT NULL,
    "requestBody" TEXT NOT NULL,
    "responseBody" TEXT,
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "GenerationContent_generationId_fkey" FOREIGN KEY ("generationId") REFERENCES "Generation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "GenerationContent_pkey" PRIMARY KEY ("generationId")
);
CREATE INDEX "GenerationContent_createdAt_idx" ON "GenerationContent"("createdAt");
