-- Crash recovery: who holds each reservation, a running stream's provisional charge,
-- and the instances' heartbeats (lib/billing/orphaned-holds.ts, instance-registry.ts).
ALTER TABLE "Reservation" ADD COLUMN "instanceId" TEXT;
ALTER TABLE "Reservation" ADD COLUMN "bootId" TEXT;
ALTER TABLE "Reservation" ADD COLUMN "provisionalCostNanoUsd" BIGINT;
ALTER TABLE "Reservation" ADD COLUMN "provisionalRecord" TEXT;
ALTER TABLE "Reservation" ADD COLUMN "checkpointAt" TIMESTAMP(3);
CREATE INDEX "Reservation_settledAt_instanceId_idx" ON "Reservation"("settledAt", "instanceId");

CREATE TABLE "GatewayInstance" (
    "id" TEXT NOT NULL,
    "bootId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "heartbeatAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "GatewayInstance_pkey" PRIMARY KEY ("id")
);
