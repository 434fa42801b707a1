-- Stored OpenAI Responses answers (lib/responses): GET /api/v1/responses/{id} and previous_response_id.
-- Numbered after 0020 so that name order stays apply order on databases that already have 0020.
CREATE TABLE "StoredResponse" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "apiKeyId" TEXT,
    "model" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "inputItems" TEXT NOT NULL,
    "outputItems" TEXT NOT NULL,
    "response" TEXT NOT NULL,
    CONSTRAINT "StoredResponse_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "StoredResponse_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "StoredResponse_userId_idx" ON "StoredResponse"("userId");
CREATE INDEX "StoredResponse_expiresAt_idx" ON "StoredResponse"("expiresAt");
