-- API keys are soft-deleted (see prisma/schema.prisma ApiKey.deletedAt).
ALTER TABLE "ApiKey" ADD COLUMN "deletedAt" DATETIME;
CREATE INDEX "ApiKey_updatedAt_idx" ON "ApiKey"("updatedAt");
CREATE INDEX "User_updatedAt_idx" ON "User"("updatedAt");
