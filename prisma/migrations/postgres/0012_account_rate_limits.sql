-- An admin's per-account rate-limit override (lib/settings/account-rate-limits.ts); null keeps the instance default.
ALTER TABLE "User" ADD COLUMN "rpmLimit" INTEGER;
ALTER TABLE "User" ADD COLUMN "tpmLimit" INTEGER;
