-- The change feed (lib/changes): caches of other instances learn that keys, the catalog or
-- the settings changed by LISTEN switchyard_changes instead of polling. Triggers NOTIFY with
-- the topic; PostgreSQL delivers it when the changing transaction commits (never for a
-- rolled-back one), and folds repeats within a transaction into one. ApiKey and User count
-- only when updatedAt moves: the hot path's raw updates (balances, spend counters,
-- lastUsedAt) leave it alone and must not wake caches.
CREATE FUNCTION "switchyard_notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('switchyard_changes', TG_ARGV[0]);
  RETURN NULL;
END;
$$;
CREATE TRIGGER "ApiKey_change_insert_delete" AFTER INSERT OR DELETE OR TRUNCATE ON "ApiKey" FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_change"('keys');
CREATE TRIGGER "ApiKey_change_update" AFTER UPDATE ON "ApiKey" FOR EACH ROW WHEN (NEW."updatedAt" IS DISTINCT FROM OLD."updatedAt") EXECUTE FUNCTION "switchyard_notify_change"('keys');
CREATE TRIGGER "User_change_insert_delete" AFTER INSERT OR DELETE OR TRUNCATE ON "User" FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_change"('keys');
CREATE TRIGGER "User_change_update" AFTER UPDATE ON "User" FOR EACH ROW WHEN (NEW."updatedAt" IS DISTINCT FROM OLD."updatedAt") EXECUTE FUNCTION "switchyard_notify_change"('keys');
CREATE TRIGGER "Provider_change_insert_delete" AFTER INSERT OR DELETE OR TRUNCATE ON "Provider" FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_change"('catalog');
CREATE TRIGGER "Provider_change_update" AFTER UPDATE ON "Provider" FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_change"('catalog');
CREATE TRIGGER "Model_change_insert_delete" AFTER INSERT OR DELETE OR TRUNCATE ON "Model" FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_change"('catalog');
CREATE TRIGGER "Model_change_update" AFTER UPDATE ON "Model" FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_change"('catalog');
CREATE TRIGGER "ModelAlias_change_insert_delete" AFTER INSERT OR DELETE OR TRUNCATE ON "ModelAlias" FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_change"('catalog');
CREATE TRIGGER "ModelAlias_change_update" AFTER UPDATE ON "ModelAlias" FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_change"('catalog');
CREATE TRIGGER "Endpoint_change_insert_delete" AFTER INSERT OR DELETE OR TRUNCATE ON "Endpoint" FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_change"('catalog');
CREATE TRIGGER "Endpoint_change_update" AFTER UPDATE ON "Endpoint" FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_change"('catalog');
CREATE TRIGGER "InstanceSetting_change_insert_delete" AFTER INSERT OR DELETE OR TRUNCATE ON "InstanceSetting" FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_change"('settings');
CREATE TRIGGER "InstanceSetting_change_update" AFTER UPDATE ON "InstanceSetting" FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_change"('settings');
