-- Server-side session revocation (lib/auth/session-epoch.ts): a session cookie carries the epoch it was issued under
-- and is refused once sign-out or a suspension has moved it on.
ALTER TABLE "User" ADD COLUMN "sessionEpoch" INTEGER NOT NULL DEFAULT 0;
