-- Balance leases: an instance holds a slice of an account's available balance and serves
-- holds from it in memory (lib/billing/lease-billing.ts). A lease's amount is counted in
-- User.reservedNanoUsd and ApiKey.reservedNanoUsd; requests held from it have no row until
-- a stream checkpoints or the call settles (Reservation.leaseId).
ALTER TABLE "Reservation" ADD COLUMN "leaseId" TEXT;
CREATE INDEX "Reservation_leaseId_idx" ON "Reservation"("leaseId");

CREATE TABLE "Lease" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "apiKeyId" TEXT,
    "amountNanoUsd" BIGINT NOT NULL,
    "instanceId" TEXT NOT NULL,
    "bootId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Lease_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Lease_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Lease_userId_idx" ON "Lease"("userId");
CREATE INDEX "Lease_instanceId_idx" ON "Lease"("instanceId");
