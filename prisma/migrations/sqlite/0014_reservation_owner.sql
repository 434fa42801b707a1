-- Crash recovery: who holds each reservation, a running stream's provisional charge,
-- and the instances' heartbeats (lib/billing/orphaned-holds.ts, instance-registry.ts).
ALTER TABLE "Reservation" ADD COLUMN "instanceId" TEXT;
ALTER TABLE "Reservation" ADD COLUMN "bootId" TEXT;
ALTER TABLE "Reservation" ADD COLUMN "provisionalCostNanoUsd" BIGINT;
ALTER TABLE "Reservation" ADD COLUMN "provisionalRecord" TEXT;
ALTER TABLE "Reservation" ADD COLUMN "checkpointAt" DATETIME;
CREATE INDEX "Reservation_settledAt_instanceId_idx" ON "Reservation"("settledAt", "instanceId");

CREATE TABLE "GatewayInstance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "bootId" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "heartbeatAt" DATETIME NOT NULL
);
