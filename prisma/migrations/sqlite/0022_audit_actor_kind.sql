-- Who acted on an audit row: a console user, the CLI (with the operating-system user
-- that ran it) or the system. Before this, CLI rows had no actor at all; the only
-- command that wrote one was credentials:rotate.
ALTER TABLE "AuditEvent" ADD COLUMN "actorKind" TEXT NOT NULL DEFAULT 'user';
ALTER TABLE "AuditEvent" ADD COLUMN "actorName" TEXT;
UPDATE "AuditEvent" SET "actorKind" = 'cli' WHERE "actorId" IS NULL AND "action" = 'credentials.rotate';
