-- Organizations (lib/organizations): an account row of kind "organization" owns the team's
-- balance, ledger, keys and activity like a personal account does; Organization holds its
-- settings, Membership its people (roles, credit limits and the counters that enforce them
-- in the hold), Invitation the emailed links. An organization key names its creator's
-- Membership, whose limits every hold on the key also checks.
ALTER TABLE "User" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'personal';
CREATE INDEX "User_kind_idx" ON "User"("kind");
CREATE TABLE "Organization" (
    "accountId" TEXT NOT NULL,
    "logoUrl" TEXT,
    "createdById" TEXT,
    "balanceAlertNanoUsd" BIGINT,
    "balanceAlertWebhookUrl" TEXT,
    "balanceAlertTrippedAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Organization_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Organization_pkey" PRIMARY KEY ("accountId")
);

CREATE TABLE "Membership" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "spendLimitTotalNanoUsd" BIGINT,
    "spendLimitDayNanoUsd" BIGINT,
    "spendLimitWeekNanoUsd" BIGINT,
    "spendLimitMonthNanoUsd" BIGINT,
    "spentNanoUsd" BIGINT NOT NULL DEFAULT 0,
    "reservedNanoUsd" BIGINT NOT NULL DEFAULT 0,
    "spentDayNanoUsd" BIGINT NOT NULL DEFAULT 0,
    "spentDayPeriod" TEXT,
    "spentWeekNanoUsd" BIGINT NOT NULL DEFAULT 0,
    "spentWeekPeriod" TEXT,
    "spentMonthNanoUsd" BIGINT NOT NULL DEFAULT 0,
    "spentMonthPeriod" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "removedAt" TIMESTAMP(3),
    CONSTRAINT "Membership_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("accountId") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Membership_organizationId_userId_key" ON "Membership"("organizationId", "userId");
CREATE INDEX "Membership_userId_idx" ON "Membership"("userId");

CREATE TABLE "Invitation" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "invitedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "acceptedById" TEXT,
    "cancelledAt" TIMESTAMP(3),
    CONSTRAINT "Invitation_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("accountId") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Invitation_tokenHash_key" ON "Invitation"("tokenHash");
CREATE INDEX "Invitation_organizationId_idx" ON "Invitation"("organizationId");

ALTER TABLE "ApiKey" ADD COLUMN "membershipId" TEXT;
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_membershipId_fkey" FOREIGN KEY ("membershipId") REFERENCES "Membership" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "ApiKey_membershipId_idx" ON "ApiKey"("membershipId");
