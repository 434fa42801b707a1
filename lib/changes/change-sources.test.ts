/**
 * The change feed against real databases: migration 0018's triggers mark exactly the
 * changes caches care about (and not the hot path's raw balance and counter updates), and
 * each source turns them into topics: SQLite by its data_version poll, PostgreSQL by
 * LISTEN/NOTIFY, including after its connection is cut.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/user-service";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey, revokeApiKeyById } from "@/lib/keys/api-key-service";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import type { ChangeTopic } from "./change-feed";
import { CHANGES_CHANNEL, createPostgresChangeSource } from "./postgres-change-source";
import { createSqliteChangeSource } from "./sqlite-change-source";

type Action = () => Promise<unknown>;

/** The topics the database marked while `action` ran (and committed). */
type TopicRecorder = { topicsChangedBy(action: Action): Promise<ChangeTopic[]>; close(): Promise<void> };

function sqliteRecorder(filePath: string): TopicRecorder {
  const source = createSqliteChangeSource(filePath, { pollMs: 3_600_000 });
  let heard: ChangeTopic[] = [];
  source.start((topics) => heard.push(...topics));
  return {
    async topicsChangedBy(action) {
      source.pollOnce();
      heard = [];
      await action();
      source.pollOnce();
      return [...new Set(heard)].sort();
    },
    close: () => source.stop(),
  };
}

async function postgresRecorder(url: string): Promise<TopicRecorder> {
  const listener = new pg.Client({ connectionString: url });
  await listener.connect();
  await listener.query(`LISTEN ${CHANGES_CHANNEL}`);
  let heard: string[] = [];
  let waiting: { marker: string; resolve: () => void } | null = null;
  listener.on("notification", (message) => {
    if (waiting && message.payload === waiting.marker) waiting.resolve();
    else heard.push(message.payload ?? "");
  });
  let markers = 0;
  return {
    async topicsChangedBy(action) {
      heard = [];
      await action();
      // Notifications arrive in commit order: once this marker is here, the action's are too.
      const marker = `marker-${++markers}`;
      const arrived = new Promise<void>((resolve) => (waiting = { marker, resolve }));
      await listener.query("SELECT pg_notify($1, $2)", [CHANGES_CHANNEL, marker]);
      await arrived;
      return [...new Set(heard)].sort() as ChangeTopic[];
    },
    close: () => listener.end(),
  };
}

describe("change feed on real databases", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let t: TestDatabase;
      let recorder: TopicRecorder;
      let userId: string;

      beforeAll(async () => {
        t = await createTestDatabase(kind);
        recorder = t.target.kind === "sqlite" ? sqliteRecorder(t.target.filePath) : await postgresRecorder(t.target.url);
        userId = (await createUser(t.db, { email: "feed@example.com", password: "long enough password" })).id;
      });
      afterAll(async () => {
        await recorder?.close();
        await t?.drop();
      });

      it("marks key and account changes, and not the hot path's balance, spend and last-used updates", async () => {
        let keyId = "";
        expect(
          await recorder.topicsChangedBy(
            async () => (keyId = (await createApiKey(t.db, userId, createApiKeyInputSchema.parse({ name: "k" }), new Set())).summary.id),
          ),
        ).toEqual(["keys"]);
        expect(
          await recorder.topicsChangedBy(async () => {
            await t.db.$executeRaw`UPDATE "User" SET "balanceNanoUsd" = "balanceNanoUsd" + 5, "reservedNanoUsd" = "reservedNanoUsd" + 1 WHERE "id" = ${userId}`;
            await t.db.$executeRaw`UPDATE "ApiKey" SET "spentNanoUsd" = "spentNanoUsd" + 5, "lastUsedAt" = ${new Date()} WHERE "id" = ${keyId}`;
          }),
        ).toEqual([]);
        expect(await recorder.topicsChangedBy(() => revokeApiKeyById(t.db, keyId, null))).toEqual(["keys"]);
        expect(await recorder.topicsChangedBy(() => t.db.user.update({ where: { id: userId }, data: { status: "suspended" } }))).toEqual(["keys"]);
      });

      it("marks catalog and settings changes under their own topics", async () => {
        expect(
          await recorder.topicsChangedBy(() =>
            t.db.provider.create({ data: { slug: "feed-p", name: "P", adapter: "openai", baseUrl: "http://127.0.0.1:9/v1" } }),
          ),
        ).toEqual(["catalog"]);
        expect(await recorder.topicsChangedBy(() => t.db.provider.update({ where: { slug: "feed-p" }, data: { enabled: false } }))).toEqual(["catalog"]);
        expect(await recorder.topicsChangedBy(() => t.db.instanceSetting.create({ data: { key: "feed-test", value: "{}" } }))).toEqual(["settings"]);
        expect(await recorder.topicsChangedBy(() => t.db.provider.deleteMany({ where: { slug: "feed-p" } }))).toEqual(["catalog"]);
      });

      it("marks nothing for a transaction that rolled back", async () => {
        const topics = await recorder.topicsChangedBy(async () => {
          await t.db
            .$transaction(async (tx) => {
              await tx.instanceSetting.create({ data: { key: "rolled-back", value: "{}" } });
              throw new Error("roll back");
            })
            .catch(() => undefined);
        });
        expect(topics).toEqual([]);
      });

      if (kind === "postgres") {
        it("delivers notifications to the source, and reports every topic again after its connection was cut", async () => {
          const url = t.target.kind === "postgres" ? t.target.url : "";
          const source = createPostgresChangeSource(url, { onError: () => undefined, log: () => undefined, maxBackoffMs: 200 });
          const heard: ChangeTopic[][] = [];
          let wake: (() => void) | null = null;
          const next = () => new Promise<void>((resolve) => (wake = resolve));
          source.start((topics) => {
            heard.push([...topics]);
            wake?.();
          });
          try {
            await source.connected();
            expect(heard).toEqual([["keys", "catalog", "settings"]]);
            let arrived = next();
            await t.db.instanceSetting.create({ data: { key: "feed-source", value: "{}" } });
            await arrived;
            expect(heard.at(-1)).toEqual(["settings"]);

            arrived = next();
            const admin = new pg.Client({ connectionString: url });
            await admin.connect();
            await admin.query(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'switchyard change feed' AND datname = current_database()",
            );
            await admin.end();
            await arrived;
            await source.connected();
            expect(heard.at(-1)).toEqual(["keys", "catalog", "settings"]);
          } finally {
            await source.stop();
          }
        });
      }
    });
  }
});
