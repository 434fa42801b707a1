/**
 * The ledger's promises, checked over random sequences of real requests (fast-check):
 * JSON and streams on both surfaces, translation between protocols, reasoning, large
 * documents, failover, cut and abandoned streams, idempotent retries, top-ups and
 * crashes between steps. The real generation handlers, ledger, activity writer and
 * database (SQLite and PostgreSQL) in this process, the fake upstream on loopback.
 *
 * A crash kills the instance as SIGKILL would (tests/support/in-process-gateway.ts): its
 * streams freeze, its queued activity records are lost, and a new instance of the same
 * id recovers what the dead one left, as the start script does.
 *
 * After every step: the balance is never below zero. At the end of a sequence: every
 * served call has one activity row and one charge equal to its recorded cost (none for
 * calls that produced nothing), a call that was cut or abandoned is charged at least for
 * the text the client received, a replay is the first call's answer, no hold outlives its
 * request, and balances equal their ledger sums.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "@/fake-upstream/server";
import { createUser } from "@/lib/auth/user-service";
import { credit, verifyLedger } from "@/lib/billing/ledger";
import { syncCatalog } from "@/lib/catalog/sync-catalog";
import { catalogSchema } from "@/lib/catalog/catalog-schema";
import type { GatewayPrincipal } from "@/lib/gateway/ports/gateway-deps";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey } from "@/lib/keys/api-key-service";
import { catalogLoader, startGatewayInstance } from "@/tests/support/in-process-gateway";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";

const CREDENTIAL = "fake-upstream-secret-credential";
const USD = 1_000_000_000n;

const price = { prompt: [{ value: 2, unit: "perMTokens", currency: "USD" }], completion: [{ value: 8, unit: "perMTokens", currency: "USD" }] };

/** provider slug → adapter and fake knobs in its base URL */
const PROVIDERS = {
  oa: ["openai", ""],
  "oa-cut": ["openai", ";cut=mid;cutAfterChunks=2;outputTokens=30"],
  "oa-slow": ["openai", ";tokensPerSecond=150;outputTokens=60"],
  "oa-down": ["openai", ";failStatus=503"],
  an: ["anthropic", ""],
  "an-cut": ["anthropic", ";cut=mid;cutAfterChunks=2;outputTokens=30"],
  "an-slow": ["anthropic", ";tokensPerSecond=150;outputTokens=60"],
  "an-down": ["anthropic", ";failStatus=529"],
  // ~4 s: still running when the example sequence crashes, however loaded the machine.
  "an-slower": ["anthropic", ";tokensPerSecond=15;outputTokens=60"],
} as const;
type ProviderSlug = keyof typeof PROVIDERS;

/** model id → its endpoints' providers, in order (a down one first means failover) */
const MODELS: Record<string, ProviderSlug[]> = {
  "m/oa": ["oa"],
  "m/an": ["an"],
  "m/oa-cut": ["oa-cut"],
  "m/an-cut": ["an-cut"],
  "m/oa-slow": ["oa-slow"],
  "m/an-slow": ["an-slow"],
  "m/failover-to-oa": ["an-down", "oa"],
  "m/failover-to-an": ["oa-down", "an"],
  "m/down": ["oa-down", "an-down"],
  "m/an-slower": ["an-slower"],
};
/** what random calls draw from (the slower stream only serves the example sequence's crash) */
const RANDOM_MODELS = Object.keys(MODELS).filter((id) => id !== "m/an-slower");

function catalogFor(fakeUrl: string) {
  return catalogSchema.parse({
    providers: Object.entries(PROVIDERS).map(([slug, [adapter, knobs]]) => ({
      slug,
      name: slug,
      adapter,
      baseUrl: adapter === "openai" ? `${fakeUrl}/p/${slug}${knobs}/v1` : `${fakeUrl}/p/${slug}${knobs}`,
      apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
    })),
    models: Object.entries(MODELS).map(([id, providers]) => ({
      id,
      name: id,
      contextLength: 200_000,
      inputModalities: ["text", "image", "file"],
      capabilities: { tools: true, reasoning: true },
      endpoints: providers.map((provider) => ({ provider, name: `${id.slice(2)}_${provider}`, upstreamModel: `up-${provider}`, pricings: price })),
    })),
  });
}

const callArb = fc.record({
  type: fc.constant("call" as const),
  surface: fc.constantFrom("chat" as const, "messages" as const),
  model: fc.constantFrom(...RANDOM_MODELS),
  stream: fc.boolean(),
  reasoning: fc.boolean(),
  document: fc.boolean(),
  maxTokens: fc.option(fc.constantFrom(16, 200, 3000), { nil: undefined }),
  /** the client reads the first content event, then goes away */
  abandon: fc.boolean(),
  /** a stream left running while the next steps happen */
  background: fc.boolean(),
  idempotency: fc.constantFrom("none" as const, "fresh" as const, "retry-same" as const, "reuse-other-body" as const),
  words: fc.integer({ min: 1, max: 40 }),
});
const stepArb = fc.oneof(
  { weight: 8, arbitrary: callArb },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("topUp" as const), cents: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("crash" as const) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("awaitCheckpoint" as const) }) },
);
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;
type Call = typeof callArb extends fc.Arbitrary<infer T> ? T : never;

function requestBody(call: Call): Record<string, unknown> {
  const prompt = "tell me something ".repeat(call.words);
  const document = "JVBERi0xLjQK".repeat(2_000); // a base64 "PDF" of ~24 KB
  if (call.surface === "chat") {
    const content = call.document
      ? [
          { type: "text", text: prompt },
          { type: "image_url", image_url: { url: `data:image/png;base64,${document}` } },
        ]
      : prompt;
    return {
      model: call.model,
      messages: [{ role: "user", content }],
      stream: call.stream,
      ...(call.stream ? { stream_options: { include_usage: true } } : {}),
      ...(call.maxTokens !== undefined ? { max_tokens: call.maxTokens } : {}),
      ...(call.reasoning ? { reasoning_effort: "low" } : {}),
    };
  }
  const content = call.document
    ? [
        { type: "text", text: prompt },
        { type: "document", source: { type: "base64", media_type: "application/pdf", data: document } },
      ]
    : prompt;
  const maxTokens = call.maxTokens ?? 1024;
  return {
    model: call.model,
    max_tokens: call.reasoning ? Math.max(maxTokens, 2048) : maxTokens,
    messages: [{ role: "user", content }],
    stream: call.stream,
    ...(call.reasoning ? { thinking: { type: "enabled", budget_tokens: 1024 } } : {}),
  };
}

/** Characters of answer text in what the client received (JSON or SSE, either protocol). */
function relayedText(surface: Call["surface"], raw: string): number {
  let chars = 0;
  for (const line of raw.split("\n")) {
    if (!line.startsWith("data:")) continue;
    try {
      const event = JSON.parse(line.slice(5)) as { choices?: { delta?: { content?: string } }[]; delta?: { text?: string } };
      chars += surface === "chat" ? (event.choices?.[0]?.delta?.content?.length ?? 0) : (event.delta?.text?.length ?? 0);
    } catch {
      // [DONE] and keep-alives
    }
  }
  return chars;
}

const call = (overrides: Partial<Call>): Call => ({
  type: "call",
  surface: "chat",
  model: "m/oa",
  stream: false,
  reasoning: false,
  document: false,
  maxTokens: undefined,
  abandon: false,
  background: false,
  idempotency: "none",
  words: 5,
  ...overrides,
});

/** One sequence that visits every case, whatever the random runs draw. */
const EVERY_CASE: Step[] = [
  call({ idempotency: "fresh" }),
  call({ idempotency: "retry-same" }),
  call({ idempotency: "reuse-other-body", words: 9 }),
  call({ surface: "messages", model: "m/an-slower", stream: true, background: true }),
  { type: "awaitCheckpoint" },
  { type: "crash" },
  call({ model: "m/an-cut", stream: true }),
  call({ surface: "messages", model: "m/oa-slow", stream: true, abandon: true }),
  call({ model: "m/failover-to-an", reasoning: true, document: true, stream: true }),
  call({ surface: "messages", model: "m/failover-to-oa", document: true, maxTokens: 3000 }),
  { type: "topUp", cents: 5 },
];

type Sent = { id: string | null; status: number; complete: boolean; relayedChars: number; replayed: boolean; crashed: boolean };

/** Both ways of holding money: a database hold per request, and balance leases with group-committed settlements. */
const BILLING_MODES = [
  ["per-request holds", false],
  ["balance leases", { windowMs: 50, idleMs: 30, tickMs: 10 }],
] as const;

describe("billing invariants over random request sequences", async () => {
  for (const [kind, [mode, leases]] of (await availableDatabaseKinds()).flatMap((kind) => BILLING_MODES.map((m) => [kind, m] as const))) {
    describe(`${kind}, ${mode}`, () => {
      let t: TestDatabase;
      let fake: FakeUpstream;
      /** SQLite: the simulated process's write worker, as a server has one (restarts reuse it: what a crashed run had under way committed first) */
      let sqliteWriter: ReturnType<TestDatabase["newSqliteWriter"]>;

      beforeAll(async () => {
        t = await createTestDatabase(kind);
        sqliteWriter = t.newSqliteWriter();
        fake = await startFakeUpstream({ defaults: { outputTokens: 12 } });
        await syncCatalog(t.db, catalogFor(fake.url));
      });
      afterAll(async () => {
        await fake?.close();
        await t?.drop();
      });

      let accounts = 0;
      async function newAccount() {
        const user = await createUser(t.db, { email: `inv${accounts++}@example.com`, password: "long enough password" });
        const { key: _key, ...created } = await createApiKey(
          t.db,
          user.id,
          createApiKeyInputSchema.parse({ name: "inv", spendLimitTotalUsd: "0.40" }),
          new Set(Object.keys(MODELS)),
        );
        const keyRow = await t.db.apiKey.findFirstOrThrow({ where: { userId: user.id } });
        void created;
        const principal: GatewayPrincipal = {
          keyId: keyRow.id,
          keyName: keyRow.name,
          userId: user.id,
          membershipId: null,
          role: "member",
          expiresAt: null,
          defaultFallbackModel: null,
          storeContent: false,
          accountRpmLimit: null,
          accountTpmLimit: null,
          allowedModels: null,
          spendLimitTotalNanoUsd: keyRow.spendLimitTotalNanoUsd,
          spendLimitDayNanoUsd: null,
          spendLimitMonthNanoUsd: null,
          rpmLimit: null,
          tpmLimit: null,
        };
        await credit(t.db, { userId: user.id, kind: "top_up", amountNanoUsd: USD / 20n, idempotencyKey: `inv-start:${user.id}` });
        return principal;
      }

      it("never lets a balance go below zero and charges every served call exactly once", async () => {
        const seen = new Map<string, number>();
        await fc.assert(
          fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 12 }), async (steps) => {
            const principal = await newAccount();
            const catalog = await catalogLoader(t.db);
            const instance = {
              db: t.db,
              sqliteWriter,
              instanceId: `inv-${kind}-${principal.userId}`,
              principal: () => principal,
              catalog,
              credential: CREDENTIAL,
              streamCheckpointMs: 40,
              leases,
            };
            let gateway = await startGatewayInstance(instance);
            const sent: Sent[] = [];
            /** background streams still being read, and how to hang up on them */
            const running = new Map<Sent, () => void>();
            const background: Promise<void>[] = [];
            let lastIdempotent: { key: string; body: Record<string, unknown>; surface: Call["surface"] } | null = null;
            let idemSeq = 0;

            const checkBalance = async () => {
              const user = await t.db.user.findUniqueOrThrow({ where: { id: principal.userId } });
              expect(user.balanceNanoUsd).toBeGreaterThanOrEqual(0n);
              expect(user.balanceNanoUsd - user.reservedNanoUsd).toBeGreaterThanOrEqual(0n);
            };

            /** Until each running stream's hold carries a checkpoint (or the stream has settled). */
            const checkpointed = async (ids: string[]) => {
              for (let polls = 0; polls < 200; polls++) {
                // A leased stream's row appears at its first checkpoint (or its settlement).
                const ready = await t.db.reservation.count({ where: { id: { in: ids }, OR: [{ checkpointAt: { not: null } }, { settledAt: { not: null } }] } });
                if (ready === ids.length) return;
                await new Promise((resolve) => setTimeout(resolve, 10));
              }
            };

            const send = async (call: Call) => {
              let body = requestBody(call);
              let surface = call.surface;
              const headers: Record<string, string> = { authorization: "Bearer sk-test", "content-type": "application/json" };
              if (call.idempotency === "fresh") {
                headers["idempotency-key"] = `k${idemSeq++}`;
                lastIdempotent = { key: headers["idempotency-key"], body, surface };
              } else if (lastIdempotent && call.idempotency !== "none") {
                headers["idempotency-key"] = lastIdempotent.key;
                if (call.idempotency === "retry-same") ({ body, surface } = lastIdempotent);
              }
              const handler = surface === "chat" ? gateway.instance.chat : gateway.instance.messages;
              const controller = new AbortController();
              const response = await handler(
                new Request("http://gateway.test/", { method: "POST", headers, body: JSON.stringify(body), signal: controller.signal }),
              );
              const record: Sent = {
                id: response.headers.get("x-request-id"),
                status: response.status,
                complete: false,
                relayedChars: 0,
                replayed: response.headers.get("idempotent-replayed") === "true",
                crashed: false,
              };
              sent.push(record);
              if (!response.body) return;
              const reading = (async () => {
                const reader = response.body!.getReader();
                if (call.stream && call.background)
                  running.set(record, () => {
                    controller.abort();
                    void reader.cancel();
                  });
                const decoder = new TextDecoder();
                let raw = "";
                for (;;) {
                  const { done, value } = await reader.read();
                  if (done) break;
                  raw += decoder.decode(value, { stream: true });
                  record.relayedChars = relayedText(surface, raw);
                  if (call.abandon && call.stream && response.status === 200 && record.relayedChars > 0) {
                    controller.abort();
                    await reader.cancel();
                    return;
                  }
                }
                record.relayedChars = relayedText(surface, raw);
                record.complete = response.status === 200 && (!call.stream || raw.includes("[DONE]") || raw.includes("message_stop"));
              })();
              if (call.stream && call.background) background.push(reading.catch(() => undefined).finally(() => running.delete(record)));
              else await reading.catch(() => undefined);
            };

            for (const step of steps) {
              if (step.type === "call") await send(step);
              else if (step.type === "awaitCheckpoint") await checkpointed([...running.keys()].map((r) => r.id!));
              else if (step.type === "topUp")
                await credit(t.db, {
                  userId: principal.userId,
                  kind: "top_up",
                  amountNanoUsd: (USD / 100n) * BigInt(step.cents),
                  idempotencyKey: `inv-top:${principal.userId}:${idemSeq++}`,
                });
              else {
                await gateway.crash();
                // The dead process's clients see their connections drop.
                for (const [record, hangUp] of running) {
                  record.crashed = true;
                  hangUp();
                }
                // A stream whose client saw its end may still have been settling: a settlement the
                // dead process had not committed (queued for the next group commit, with leases) is
                // lost with it, and the call is billed to its last checkpoint like a cut stream.
                for (const record of sent.filter((s) => !s.crashed && !s.replayed && s.id !== null && s.status === 200))
                  if (!(await t.db.reservation.findUnique({ where: { id: record.id! } }))?.settledAt) record.crashed = true;
                gateway = await startGatewayInstance(instance);
              }
              await checkBalance();
            }
            await Promise.all(background);
            await gateway.stop();
            await checkBalance();

            // Every served call: one activity row, and one charge equal to its recorded cost.
            const generations = await t.db.generation.findMany({ where: { userId: principal.userId } });
            const charges = await t.db.ledgerEntry.findMany({ where: { userId: principal.userId, kind: "charge" } });
            const byId = new Map(generations.map((g) => [g.id, g]));
            const count = (what: string, n = 1) => seen.set(what, (seen.get(what) ?? 0) + n);
            for (const call of sent) count(call.replayed ? "replayed" : call.status === 200 && !call.complete ? "cut or abandoned" : String(call.status));
            count("recovered after a crash", generations.filter((g) => g.errorType === "instance_crashed" && g.costNanoUsd > 0n).length);
            count("held from a lease", await t.db.reservation.count({ where: { userId: principal.userId, leaseId: { not: null } } }));
            // A replay is the first answer again: the same generation, not a new call.
            for (const replay of sent.filter((s) => s.replayed))
              expect(
                sent.some((s) => s !== replay && !s.replayed && s.id === replay.id),
                `replay of ${replay.id}`,
              ).toBe(true);
            // A crash loses what was relayed since the stream's last checkpoint (and a stream's
            // record when it died before its first): those calls are checked by the ledger rules below.
            for (const call of sent.filter((s) => s.status === 200 && !s.replayed && !s.crashed)) {
              const generation = byId.get(call.id!);
              expect(generation, `activity row of ${call.id} ${JSON.stringify({ ...call, steps })}`).toBeDefined();
              if (!call.complete && call.relayedChars > 0)
                expect(generation!.completionTokens, `output billed for the text relayed by ${call.id}`).toBeGreaterThanOrEqual(
                  Math.ceil(call.relayedChars / 4),
                );
            }
            for (const generation of generations) {
              const own = charges.filter((c) => c.generationId === generation.id);
              expect(own.length, `charges of ${generation.id}`).toBe(generation.costNanoUsd > 0n ? 1 : 0);
              if (own.length) expect(-own[0].amountNanoUsd).toBe(generation.costNanoUsd);
            }
            for (const charge of charges) expect(byId.has(charge.generationId ?? ""), `charge ${charge.idempotencyKey} has an activity row`).toBe(true);

            // No hold outlives its request.
            const user = await t.db.user.findUniqueOrThrow({ where: { id: principal.userId } });
            const key = await t.db.apiKey.findUniqueOrThrow({ where: { id: principal.keyId } });
            expect(user.reservedNanoUsd).toBe(0n);
            expect(key.reservedNanoUsd).toBe(0n);
            expect(await t.db.reservation.count({ where: { userId: principal.userId, settledAt: null } })).toBe(0);
            expect(await t.db.lease.count({ where: { userId: principal.userId } })).toBe(0);
            expect(key.spentNanoUsd).toBe(-charges.reduce((sum, c) => sum + c.amountNanoUsd, 0n));
            expect((await verifyLedger(t.db)).mismatches).toEqual([]);
          }),
          { numRuns: 20, endOnFailure: true, examples: [[EVERY_CASE]] },
        );
        // The runs exercised what they claim to (the example sequence guarantees each).
        for (const what of ["200", "replayed", "422", "cut or abandoned", "recovered after a crash", ...(leases ? ["held from a lease"] : [])])
          expect(seen.get(what) ?? 0, what).toBeGreaterThan(0);
      }, 300_000);
    });
  }
});
