-- The change feed (lib/changes): caches of other instances learn that keys, the catalog or
-- the settings changed without polling those tables. Triggers bump a per-topic version in
-- the transaction that makes the change, so every writer (console, CLI, start-up sync, raw
-- SQL) is covered. ApiKey and User count only when updatedAt moves: the hot path's raw
-- updates (balances, spend counters, lastUsedAt) leave it alone and must not wake caches.
-- An internal table (not in schema.prisma): servers read it with PRAGMA data_version as the
-- cheap "anything committed?" check first (lib/changes/sqlite-change-source.ts).
CREATE TABLE "_switchyard_changes" ("topic" TEXT NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL DEFAULT 0);
INSERT INTO "_switchyard_changes" ("topic") VALUES ('keys'), ('catalog'), ('settings');
CREATE TRIGGER "ApiKey_change_insert" AFTER INSERT ON "ApiKey" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'keys'; END;
CREATE TRIGGER "ApiKey_change_update" AFTER UPDATE ON "ApiKey" WHEN NEW."updatedAt" IS NOT OLD."updatedAt" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'keys'; END;
CREATE TRIGGER "ApiKey_change_delete" AFTER DELETE ON "ApiKey" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'keys'; END;
CREATE TRIGGER "User_change_insert" AFTER INSERT ON "User" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'keys'; END;
CREATE TRIGGER "User_change_update" AFTER UPDATE ON "User" WHEN NEW."updatedAt" IS NOT OLD."updatedAt" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'keys'; END;
CREATE TRIGGER "User_change_delete" AFTER DELETE ON "User" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'keys'; END;
CREATE TRIGGER "Provider_change_insert" AFTER INSERT ON "Provider" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'catalog'; END;
CREATE TRIGGER "Provider_change_update" AFTER UPDATE ON "Provider" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'catalog'; END;
CREATE TRIGGER "Provider_change_delete" AFTER DELETE ON "Provider" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'catalog'; END;
CREATE TRIGGER "Model_change_insert" AFTER INSERT ON "Model" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'catalog'; END;
CREATE TRIGGER "Model_change_update" AFTER UPDATE ON "Model" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'catalog'; END;
CREATE TRIGGER "Model_change_delete" AFTER DELETE ON "Model" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'catalog'; END;
CREATE TRIGGER "ModelAlias_change_insert" AFTER INSERT ON "ModelAlias" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'catalog'; END;
CREATE TRIGGER "ModelAlias_change_update" AFTER UPDATE ON "ModelAlias" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'catalog'; END;
CREATE TRIGGER "ModelAlias_change_delete" AFTER DELETE ON "ModelAlias" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'catalog'; END;
CREATE TRIGGER "Endpoint_change_insert" AFTER INSERT ON "Endpoint" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'catalog'; END;
CREATE TRIGGER "Endpoint_change_update" AFTER UPDATE ON "Endpoint" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'catalog'; END;
CREATE TRIGGER "Endpoint_change_delete" AFTER DELETE ON "Endpoint" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'catalog'; END;
CREATE TRIGGER "InstanceSetting_change_insert" AFTER INSERT ON "InstanceSetting" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'settings'; END;
CREATE TRIGGER "InstanceSetting_change_update" AFTER UPDATE ON "InstanceSetting" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'settings'; END;
CREATE TRIGGER "InstanceSetting_change_delete" AFTER DELETE ON "InstanceSetting" BEGIN UPDATE "_switchyard_changes" SET "version" = "version" + 1 WHERE "topic" = 'settings'; END;
