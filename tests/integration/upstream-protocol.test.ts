/**
 * The client's and the upstream's protocol on every call's record, through the real
 * server and the fake upstream, on SQLite and PostgreSQL (their activity writers differ):
 * `GET /api/v1/generation` names both (`api`, `upstreamApi`, in ZenMux's spelling), the
 * console's activity rows and details carry them, and the list filters by the client's.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleClient } from "@/tests/support/console-client";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";

type Row = { id: string; api: string; upstreamApi: string | null };

for (const kind of await availableDatabaseKinds()) {
  describe(`the recorded protocols on ${kind}`, () => {
    let gw: GatewayFixture;
    let dropTarget: (() => Promise<void>) | undefined;
    let openai: OpenAI;
    let anthropic: Anthropic;
    let console_: ConsoleClient;

    beforeAll(async () => {
      const target = kind === "postgres" ? await createTestTarget("postgres") : null;
      dropTarget = target?.dropTarget;
      gw = await startGatewayFixture({}, target ? { database: target.target } : {});
      openai = new OpenAI({ baseURL: `${gw.url}/api/v1`, apiKey: gw.key, maxRetries: 0 });
      anthropic = new Anthropic({ baseURL: `${gw.url}/api/anthropic`, apiKey: gw.key, maxRetries: 0 });
      console_ = new ConsoleClient(gw.url);
      expect(await console_.signIn("dev@example.com", "long enough password")).toBeNull();
    });
    afterAll(async () => {
      await gw?.stop();
      await dropTarget?.();
    });

    /** The console's row for a call, once its write batch has landed. */
    async function activityRow(id: string, query = ""): Promise<Row | undefined> {
      await gw.recordOf(id);
      for (let i = 0; i < 100; i++) {
        const response = await console_.fetch(`/api/console/activity?limit=500${query}`);
        expect(response.status).toBe(200);
        const { data } = (await response.json()) as { data: Row[] };
        const row = data.find((r) => r.id === id);
        if (row || query) return row;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no activity row for ${id}`);
    }

    it("an OpenAI Chat client served by an Anthropic upstream records client chat, upstream messages", async () => {
      const { response } = await openai.chat.completions.create({ model: "test/claude", messages: [{ role: "user", content: "Hello" }] }).withResponse();
      const id = response.headers.get("x-request-id")!;
      expect(await gw.recordOf(id)).toMatchObject({ api: "chat.completions", upstreamApi: "messages", provider: "claude-native" });
      expect(await activityRow(id)).toMatchObject({ api: "chat", upstreamApi: "messages" });
      const detail = await console_.fetch(`/api/console/activity/${id}`);
      expect(await detail.json()).toMatchObject({
        protocols: { client: "chat", upstream: "messages" },
        record: { api: "chat.completions", upstreamApi: "messages" },
      });
    });

    it("a streamed call records the upstream's protocol too", async () => {
      const { data: stream, response } = await openai.chat.completions
        .create({ model: "test/claude", stream: true, messages: [{ role: "user", content: "Hello" }] })
        .withResponse();
      for await (const _chunk of stream) void _chunk;
      expect(await gw.recordOf(response.headers.get("x-request-id")!)).toMatchObject({ api: "chat.completions", upstreamApi: "messages", streamed: true });
    });

    it("the same protocol on both sides is recorded as such (passed through)", async () => {
      const { response } = await openai.chat.completions.create({ model: "test/chat", messages: [{ role: "user", content: "Hello" }] }).withResponse();
      expect(await gw.recordOf(response.headers.get("x-request-id")!)).toMatchObject({ api: "chat.completions", upstreamApi: "chat.completions" });
      const { response: native } = await openai.responses.create({ model: "test/responses", input: "Hello" }).withResponse();
      expect(await gw.recordOf(native.headers.get("x-request-id")!)).toMatchObject({ api: "responses", upstreamApi: "responses" });
    });

    it("Anthropic and Responses clients on other protocols' upstreams", async () => {
      const { response: messages } = await anthropic.messages
        .create({ model: "test/chat", max_tokens: 64, messages: [{ role: "user", content: "Hello" }] })
        .withResponse();
      expect(await gw.recordOf(messages.headers.get("x-request-id")!)).toMatchObject({ api: "messages", upstreamApi: "chat.completions" });
      const { response: responses } = await openai.responses.create({ model: "test/claude", input: "Hello" }).withResponse();
      expect(await gw.recordOf(responses.headers.get("x-request-id")!)).toMatchObject({ api: "responses", upstreamApi: "messages" });
    });

    it("after a failover across protocols, the upstream is the one that served, not the first tried", async () => {
      // test/mixed: an overloaded Anthropic-protocol endpoint, then an OpenAI-protocol one.
      const { response } = await openai.chat.completions.create({ model: "test/mixed", messages: [{ role: "user", content: "Hello" }] }).withResponse();
      const record = await gw.recordOf(response.headers.get("x-request-id")!);
      expect(record.attempts.map((a) => [a.provider, a.served])).toEqual([
        ["claude-overloaded", false],
        ["fast", true],
      ]);
      expect(record).toMatchObject({ api: "chat.completions", upstreamApi: "chat.completions" });
    });

    it("a call no upstream served records no upstream protocol", async () => {
      const response = await fetch(`${gw.url}/api/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "test/broken-only", messages: [{ role: "user", content: "Hello" }] }),
      });
      expect(response.status).toBeGreaterThanOrEqual(500);
      const id = response.headers.get("x-request-id")!;
      expect(await gw.recordOf(id)).toMatchObject({ api: "chat.completions", upstreamApi: null, status: "error" });
      expect(await activityRow(id)).toMatchObject({ api: "chat", upstreamApi: null });
    });

    it("the activity list filters by the client's protocol", async () => {
      const { response } = await anthropic.messages
        .create({ model: "test/claude", max_tokens: 64, messages: [{ role: "user", content: "Hello" }] })
        .withResponse();
      const id = response.headers.get("x-request-id")!;
      await activityRow(id);
      const filtered = await console_.fetch("/api/console/activity?limit=500&api=messages");
      const { data } = (await filtered.json()) as { data: Row[] };
      expect(data.map((r) => r.id)).toContain(id);
      expect(data.length).toBeGreaterThan(0);
      expect(new Set(data.map((r) => r.api))).toEqual(new Set(["messages"]));
      expect(await activityRow(id, "&api=chat")).toBeUndefined();
      const options = await (await console_.fetch("/api/console/activity/options")).json();
      expect(options.apis).toEqual(expect.arrayContaining(["chat", "messages", "responses", "generate_content"]));
    });

    it("the CSV export carries both protocols", async () => {
      const response = await console_.fetch("/api/console/activity/export?api=chat");
      const [header, ...rows] = (await response.text()).trim().split("\n");
      const columns = header.split(",");
      const [api, upstream] = [columns.indexOf("api"), columns.indexOf("upstream_api")];
      expect(upstream).toBeGreaterThan(api);
      const pairs = new Set(rows.map((line) => `${line.split(",")[api]}>${line.split(",")[upstream]}`));
      expect(pairs).toContain("chat>messages");
      expect(pairs).toContain("chat>chat");
    });
  });
}
