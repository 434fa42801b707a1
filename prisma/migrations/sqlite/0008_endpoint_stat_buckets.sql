-- Persisted endpoint statistics (step 7): one row per endpoint, minute and writing instance.
CREATE TABLE "EndpointStatBucket" (
    "endpointId" TEXT NOT NULL,
    "minute" DATETIME NOT NULL,
    "writer" TEXT NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "probes" INTEGER NOT NULL DEFAULT 0,
    "probeFailures" INTEGER NOT NULL DEFAULT 0,
    "ttftHistogram" TEXT NOT NULL DEFAULT '{}',
    "throughputHistogram" TEXT NOT NULL DEFAULT '{}',
    "updatedAt" DATETIME NOT NULL,
    PRIMARY KEY ("endpointId", "minute", "writer")
);
CREATE INDEX "EndpointStatBucket_updatedAt_idx" ON "EndpointStatBucket"("updatedAt");
CREATE INDEX "EndpointStatBucket_minute_idx" ON "EndpointStatBucket"("minute");
