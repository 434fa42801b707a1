import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KeptResponse } from "../gateway/ports/gateway-deps.ts";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { createResponseStore, purgeExpiredResponses, responseRetentionDays } from "./response-store.ts";

const DAY = 86_400_000;

describe("responseRetentionDays", () => {
  it("defaults to 30 and ignores values that are not positive numbers", () => {
    expect(responseRetentionDays({})).toBe(30);
    expect(responseRetentionDays({ RESPONSE_RETENTION_DAYS: "7" })).toBe(7);
    for (const bad of ["0", "-3", "soon"]) expect(responseRetentionDays({ RESPONSE_RETENTION_DAYS: bad })).toBe(30);
  });
});

describe("the response store", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let t: TestDatabase;
      let userId: string;
      let otherId: string;
      let clock = Date.parse("2026-11-22T12:00:00Z");
      beforeAll(async () => {
        t = await createTestDatabase(kind);
        userId = (await t.db.user.create({ data: { email: "owner@example.com" } })).id;
        otherId = (await t.db.user.create({ data: { email: "other@example.com" } })).id;
      });
      afterAll(async () => t?.drop());

      const kept = (id: string, createdAt = new Date(clock)): KeptResponse => ({
        id,
        userId,
        apiKeyId: null,
        model: "m/x",
        createdAt,
        inputItems: [{ type: "message", role: "user", content: [{ type: "input_text", text: "Hi \u0000 there" }] }],
        outputItems: [{ id: "msg_1", type: "message", role: "assistant", content: [{ type: "output_text", text: "Hello" }] }],
        response: { id, object: "response", status: "completed", usage: { input_tokens: 3, output_tokens: 1, cost: 0.001 } },
      });

      it("makes a read of an announced id wait for its write, and never shows a dropped one", async () => {
        const store = createResponseStore(t.db, { retentionDays: 30, now: () => clock });
        const pending = store.begin("resp_wait");
        const read = store.conversation("resp_wait", userId);
        pending.keep(kept("resp_wait"));
        expect(await read).toEqual({ id: "resp_wait", inputItems: kept("resp_wait").inputItems, outputItems: kept("resp_wait").outputItems });
        const dropped = store.begin("resp_dropped");
        const nothing = store.find("resp_dropped", userId);
        dropped.drop();
        expect(await nothing).toBeNull();
      });

      it("serves only the owning account, and deletes once", async () => {
        const store = createResponseStore(t.db, { retentionDays: 30, now: () => clock });
        store.begin("resp_owned").keep(kept("resp_owned"));
        expect(await store.find("resp_owned", otherId)).toBeNull();
        expect(await store.remove("resp_owned", otherId)).toBe(false);
        expect((await store.find("resp_owned", userId))?.response).toMatchObject({ status: "completed", usage: { cost: 0.001 } });
        expect(await store.remove("resp_owned", userId)).toBe(true);
        expect(await store.remove("resp_owned", userId)).toBe(false);
        expect(await store.conversation("resp_owned", userId)).toBeNull();
      });

      it("stops serving a response at its expiry, and the purge deletes it then, not before", async () => {
        const store = createResponseStore(t.db, { retentionDays: 2, now: () => clock });
        store.begin("resp_old").keep(kept("resp_old"));
        store.begin("resp_new").keep(kept("resp_new", new Date(clock + DAY)));
        await store.flush();
        clock += 2 * DAY - 1;
        expect(await store.find("resp_old", userId)).not.toBeNull();
        expect(await purgeExpiredResponses(t.db, new Date(clock))).toBe(0);
        clock += 1;
        expect(await store.find("resp_old", userId)).toBeNull();
        expect(await store.purgeExpired()).toBe(1);
        expect(await t.db.storedResponse.findMany({ where: { id: { in: ["resp_old", "resp_new"] } }, select: { id: true } })).toEqual([{ id: "resp_new" }]);
        expect(await store.find("resp_new", userId)).not.toBeNull();
      });
    });
  }
});
