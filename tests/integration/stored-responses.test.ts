/**
 * Stored Responses through the real server, on SQLite and PostgreSQL, with the official
 * `openai` client: a response created with store left out (OpenAI's default) is kept
 * and retrieved as it was returned; previous_response_id continues it over a Chat, an
 * Anthropic Messages and a Responses upstream, each seeing the whole conversation (and
 * not the earlier instructions); a streamed response is kept and can be continued at
 * once; store: false, a cut stream, a deleted response and another account's are 404s;
 * input items page with order, limit and after; unknown methods are JSON 405s.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/user-service";
import { credit } from "@/lib/billing/ledger";
import { createDb, type Db } from "@/lib/db/client";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey } from "@/lib/keys/api-key-service";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";

type Json = Record<string, unknown>;

const tools: OpenAI.Responses.Tool[] = [
  {
    type: "function",
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    strict: false,
  },
];

describe("stored Responses", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let gw: GatewayFixture;
      let db: Db;
      let client: OpenAI;
      let dropTarget: (() => Promise<void>) | undefined;

      beforeAll(async () => {
        const target = kind === "postgres" ? await createTestTarget("postgres") : null;
        dropTarget = target?.dropTarget;
        gw = await startGatewayFixture({}, target ? { database: target.target } : {});
        db = createDb(gw.dbTarget);
        client = new OpenAI({ baseURL: `${gw.url}/api/v1`, apiKey: gw.key, maxRetries: 0 });
      }, 120_000);
      afterAll(async () => {
        await db?.$disconnect();
        await gw?.stop();
        await dropTarget?.();
      });

      /** What the fake received last from the provider that served a call. */
      function sentUpstream(provider: string): Json {
        return gw.fake
          .stats()
          .lastRequests.filter((r) => r.provider === provider)
          .at(-1)!.body as Json;
      }

      async function create(params: OpenAI.Responses.ResponseCreateParamsNonStreaming, on = client) {
        const { data, response } = await on.responses.create(params).withResponse();
        return { response: data, provider: response.headers.get("x-switchyard-provider")! };
      }

      async function status(promise: Promise<unknown>): Promise<{ status?: number; error?: unknown; param?: unknown; message?: string }> {
        try {
          await promise;
          return {};
        } catch (error) {
          if (error instanceof OpenAI.APIError) return { status: error.status, error: error.error, param: error.param, message: error.message };
          throw error;
        }
      }

      it("keeps a response when store is left out, and GET returns it as POST did, usage and cost included", async () => {
        const { response } = await create({ model: "test/chat", input: "Hello there", instructions: "Answer briefly.", metadata: { run: "1" } });
        expect(response).toMatchObject({ store: true, previous_response_id: null, status: "completed" });
        const retrieved = await client.responses.retrieve(response.id);
        expect(retrieved).toEqual(response);
        expect((retrieved.usage as unknown as { cost: number }).cost).toBeGreaterThan(0);
        const row = await db.storedResponse.findUniqueOrThrow({ where: { id: response.id } });
        expect(row.userId).toBe(gw.userId);
        expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(30 * 86_400_000);
      });

      describe.each([
        { upstream: "openai-chat", model: "test/chat" },
        { upstream: "anthropic-messages", model: "test/claude" },
        { upstream: "openai-responses", model: "test/responses" },
      ])("previous_response_id over an $upstream upstream", ({ upstream, model }) => {
        it("sends the upstream the whole conversation, without the earlier instructions", async () => {
          const first = await create({ model, input: "My name is Ada.", instructions: "Answer briefly." });
          const second = await create({ model, input: "What is my name?", previous_response_id: first.response.id });
          expect(second.response).toMatchObject({ previous_response_id: first.response.id, instructions: null, store: true });
          const third = await create({ model, input: "And again?", previous_response_id: second.response.id, instructions: "Be kind." });
          const sent = sentUpstream(third.provider);
          const [a, b] = [first.response.output_text, second.response.output_text];
          if (upstream === "openai-chat") {
            expect(sent.messages).toEqual([
              { role: "system", content: "Be kind." },
              { role: "user", content: [{ type: "text", text: "My name is Ada." }] },
              { role: "assistant", content: a },
              { role: "user", content: [{ type: "text", text: "What is my name?" }] },
              { role: "assistant", content: b },
              { role: "user", content: [{ type: "text", text: "And again?" }] },
            ]);
          }
          if (upstream === "anthropic-messages") {
            expect(sent.system).toBe("Be kind.");
            expect((sent.messages as Json[]).map((m) => [m.role, JSON.stringify(m.content)])).toEqual([
              ["user", JSON.stringify([{ type: "text", text: "My name is Ada." }])],
              ["assistant", JSON.stringify([{ type: "text", text: a }])],
              ["user", JSON.stringify([{ type: "text", text: "What is my name?" }])],
              ["assistant", JSON.stringify([{ type: "text", text: b }])],
              ["user", JSON.stringify([{ type: "text", text: "And again?" }])],
            ]);
          }
          if (upstream === "openai-responses") {
            // The upstream stored nothing: it gets the conversation, never the gateway's id.
            expect(sent).toMatchObject({ instructions: "Be kind.", store: false });
            expect(sent).not.toHaveProperty("previous_response_id");
            const input = sent.input as Json[];
            expect(input.map((item) => [item.role, JSON.stringify(item.content)])).toEqual([
              ["user", JSON.stringify([{ type: "input_text", text: "My name is Ada." }])],
              ["assistant", JSON.stringify(first.response.output.find((item) => item.type === "message")!.content)],
              ["user", JSON.stringify([{ type: "input_text", text: "What is my name?" }])],
              ["assistant", JSON.stringify(second.response.output.find((item) => item.type === "message")!.content)],
              ["user", JSON.stringify([{ type: "input_text", text: "And again?" }])],
            ]);
          }
          // The conversation is listed as the model saw it: five items, oldest first.
          const items = await client.responses.inputItems.list(third.response.id, { order: "asc" });
          expect(items.data.map((item) => item.type === "message" && item.role)).toEqual(["user", "assistant", "user", "assistant", "user"]);
        });

        it("answers a tool call of the stored response with only the function_call_output", async () => {
          const first = await create({ model, input: "Weather in Paris?", tools });
          const call = first.response.output.find((item) => item.type === "function_call");
          if (call?.type !== "function_call") throw new Error("no call");
          const answer = await create({
            model,
            previous_response_id: first.response.id,
            input: [{ type: "function_call_output", call_id: call.call_id, output: "Sunny, 21 °C" }],
            tools,
          });
          expect(answer.response.output.some((item) => item.type === "function_call")).toBe(false);
          const sent = JSON.stringify(sentUpstream(answer.provider));
          expect(sent).toContain("Sunny, 21 °C");
          expect(sent).toContain(call.call_id.slice(0, 12));
        });
      });

      it("keeps a streamed response, which can be retrieved and continued the moment it ends", async () => {
        const stream = client.responses.stream({ model: "test/claude", input: "Stream me" });
        const final = await stream.finalResponse();
        const [retrieved, next] = await Promise.all([
          client.responses.retrieve(final.id),
          create({ model: "test/claude", input: "More", previous_response_id: final.id }),
        ]);
        // The stream helper adds `parsed: null` to text parts; the rest is as streamed.
        expect(final.output).toMatchObject(retrieved.output);
        expect(retrieved.usage).toEqual(final.usage);
        expect(retrieved.status).toBe("completed");
        expect(next.response.previous_response_id).toBe(final.id);
        // Continuing a stream with a stream, on the Responses upstream (events relayed).
        const relayed = await client.responses.stream({ model: "test/responses", input: "Hi" }).finalResponse();
        const continued = await client.responses.stream({ model: "test/responses", input: "Again", previous_response_id: relayed.id }).finalResponse();
        expect(continued).toMatchObject({ previous_response_id: relayed.id, store: true });
        expect(continued.output).toMatchObject((await client.responses.retrieve(continued.id)).output);
      });

      it("keeps nothing with store: false, for a cut stream, or after a delete", async () => {
        const { response } = await create({ model: "test/chat", input: "Forget me", store: false });
        expect(response).toMatchObject({ store: false });
        expect(await status(client.responses.retrieve(response.id))).toMatchObject({ status: 404 });
        const continued = await status(client.responses.create({ model: "test/chat", input: "x", previous_response_id: response.id }));
        expect(continued).toMatchObject({ status: 404, param: "previous_response_id" });
        expect(continued.message).toContain(`Previous response with id '${response.id}' not found.`);

        const cut = await fetch(`${gw.url}/api/v1/responses`, {
          method: "POST",
          headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json" },
          body: JSON.stringify({ model: "test/responses-midcut", input: "Hello", stream: true }),
        });
        const text = await cut.text();
        expect(text).toContain("response.failed");
        await gw.recordOf(cut);
        expect(await status(client.responses.retrieve(`resp_${cut.headers.get("x-request-id")}`))).toMatchObject({ status: 404 });

        const kept = await create({ model: "test/chat", input: "Delete me" });
        const deleted = await fetch(`${gw.url}/api/v1/responses/${kept.response.id}`, { method: "DELETE", headers: { authorization: `Bearer ${gw.key}` } });
        expect(deleted.status).toBe(200);
        expect(await deleted.json()).toEqual({ id: kept.response.id, object: "response", deleted: true });
        expect(await status(client.responses.retrieve(kept.response.id))).toMatchObject({ status: 404 });
        expect(await status(client.responses.delete(kept.response.id))).toMatchObject({ status: 404 });
        expect(await db.storedResponse.count({ where: { id: { in: [response.id, kept.response.id] } } })).toBe(0);
      });

      it("pages input items with order, limit and after", async () => {
        const input = Array.from({ length: 5 }, (_, i) => ({ role: "user" as const, content: `part ${i}` }));
        const { response } = await create({ model: "test/chat", input });
        const seen: string[] = [];
        let page = await client.responses.inputItems.list(response.id, { order: "asc", limit: 2 });
        for (;;) {
          seen.push(...page.data.map((item) => (item.type === "message" ? JSON.stringify(item.content) : String(item.type))));
          if (!page.hasNextPage()) break;
          page = await page.getNextPage();
        }
        expect(seen).toEqual(input.map((m) => JSON.stringify([{ type: "input_text", text: m.content }])));
        const raw = await fetch(`${gw.url}/api/v1/responses/${response.id}/input_items?limit=2`, { headers: { authorization: `Bearer ${gw.key}` } });
        const body = (await raw.json()) as { object: string; data: Json[]; first_id: string; last_id: string; has_more: boolean };
        expect(body).toMatchObject({ object: "list", has_more: true, first_id: body.data[0].id, last_id: body.data[1].id });
        expect(body.data.map((item) => item.content)).toEqual([[{ type: "input_text", text: "part 4" }], [{ type: "input_text", text: "part 3" }]]);
        const bad = await fetch(`${gw.url}/api/v1/responses/${response.id}/input_items?limit=500`, { headers: { authorization: `Bearer ${gw.key}` } });
        expect(bad.status).toBe(400);
        expect(await bad.json()).toMatchObject({ error: { type: "invalid_params", param: "limit" } });
      });

      it("never shows one account's response to another, and answers unknown methods with JSON 405s", async () => {
        const previous = process.env.TRIAL_CREDIT_USD;
        process.env.TRIAL_CREDIT_USD = "0";
        const user = await createUser(db, { email: `stranger-${kind}@example.com`, password: "long enough password" });
        if (previous === undefined) delete process.env.TRIAL_CREDIT_USD;
        else process.env.TRIAL_CREDIT_USD = previous;
        await credit(db, { userId: user.id, kind: "top_up", amountNanoUsd: 1_000_000_000n, idempotencyKey: `test-top-up:${user.id}` });
        const { key } = await createApiKey(db, user.id, createApiKeyInputSchema.parse({ name: "stranger" }), new Set());
        const stranger = new OpenAI({ baseURL: `${gw.url}/api/v1`, apiKey: key, maxRetries: 0 });
        const { response } = await create({ model: "test/chat", input: "Mine" });
        expect(await status(stranger.responses.retrieve(response.id))).toMatchObject({ status: 404 });
        expect(await status(stranger.responses.inputItems.list(response.id))).toMatchObject({ status: 404 });
        expect(await status(stranger.responses.delete(response.id))).toMatchObject({ status: 404 });
        expect(await status(stranger.responses.create({ model: "test/chat", input: "x", previous_response_id: response.id }))).toMatchObject({
          status: 404,
          param: "previous_response_id",
        });
        expect(await status(new OpenAI({ baseURL: `${gw.url}/api/v1`, apiKey: "sk-nope", maxRetries: 0 }).responses.retrieve(response.id))).toMatchObject({
          status: 401,
        });
        // The route handlers' verifier may be another bundle's (the node door built it): still a 401, never a 500.
        expect((await fetch(`${gw.url}/api/v1/generation?id=gen_none`, { headers: { authorization: "Bearer sk-nope" } })).status).toBe(401);
        // Still there for its owner.
        expect((await client.responses.retrieve(response.id)).id).toBe(response.id);

        const put = await fetch(`${gw.url}/api/v1/responses/${response.id}`, { method: "PUT", headers: { authorization: `Bearer ${gw.key}` } });
        expect(put.status).toBe(405);
        expect(put.headers.get("allow")).toBe("GET, HEAD, DELETE, OPTIONS");
        expect(await put.json()).toMatchObject({ error: { type: "method_not_allowed" } });
        const post = await fetch(`${gw.url}/api/v1/responses/${response.id}/input_items`, { method: "POST", headers: { authorization: `Bearer ${gw.key}` } });
        expect(post.status).toBe(405);
      });
    });
  }
});
