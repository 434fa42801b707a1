/**
 * A running Switchyard in front of the fake upstream, with a test catalog whose
 * providers are fake provider names with behaviours baked into their base URLs, an
 * account with credit-free access and an API key. For integration tests of the gateway.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startFakeUpstream } from "@/fake-upstream/server";
import { createUser } from "@/lib/auth/user-service";
import { createDb } from "@/lib/db/client";
import type { DatabaseTarget } from "@/lib/db/database-url";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey } from "@/lib/keys/api-key-service";
import { startSwitchyard, type SwitchyardProcess } from "./switchyard-process";

export type GatewayFixture = {
  url: string;
  key: string;
  fake: Awaited<ReturnType<typeof startFakeUpstream>>;
  server: SwitchyardProcess;
  /** a second key on the same account, limited to some models */
  limitedKey: string;
  userId: string;
  /** the server's database, for tests that read or change accounts directly */
  dbTarget: DatabaseTarget;
  /** the server's environment, to start another instance of the same gateway */
  env: Record<string, string>;
  /** the CATALOG_FILE the server reads (the admin console writes edits back to it) */
  catalogFile: string;
  /**
   * The generation record of a call, read through `GET /api/v1/generation`. A stream's
   * record is written when it settles, just after its last byte (later still behind the
   * route-handler door), so this waits up to 5 s for it instead of reading a 404.
   */
  recordOf(id: string | Response, key?: string): Promise<RecordedGeneration>;
  stop(): Promise<void>;
};

/** The fields of `GET /api/v1/generation` tests read most; the rest stay `unknown`. */
export type RecordedGeneration = {
  api: string;
  provider: string;
  status?: string;
  attempts: { provider: string; httpStatus: number | null; served: boolean; error: { type: string; message?: string } | null }[];
  [field: string]: unknown;
};

async function recordedGeneration(url: string, id: string, key: string): Promise<RecordedGeneration> {
  const started = Date.now();
  for (;;) {
    const response = await fetch(`${url}/api/v1/generation?id=${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${key}` } });
    if (response.status === 200) return (await response.json()) as RecordedGeneration;
    if (response.status !== 404 || Date.now() - started > 5000) throw new Error(`generation ${id}: ${response.status} ${await response.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const price = (prompt: number, completion: number, cacheRead?: number) => ({
  prompt: [{ value: prompt, unit: "perMTokens", currency: "USD" }],
  completion: [{ value: completion, unit: "perMTokens", currency: "USD" }],
  ...(cacheRead !== undefined ? { input_cache_read: [{ value: cacheRead, unit: "perMTokens", currency: "USD" }] } : {}),
});

/** fake provider name → knobs in its base URL */
const PROVIDERS: Record<string, string> = {
  fast: "",
  slow: ";ttftMs=300",
  cheap: "",
  dear: "",
  broken: ";failStatus=503",
  overloaded: ";failStatus=529",
  ratelimited: ";failStatus=429",
  timeout408: ";failStatus=408",
  badrequest: ";failStatus=400",
  unprocessable: ";failStatus=422",
  hanging: ";hang",
  refused: ";cut=before",
  empty: ";emptyStream",
  errorfirst: ";errorFirstEvent",
  midcut: ";cut=mid;cutAfterChunks=2",
  trickle: ";tokensPerSecond=20;outputTokens=400",
  cached: ";cachedTokens=1000",
  pausing: ";tokensPerSecond=1;outputTokens=2",
  // Echoes our credential in its error, as some providers do: it must never reach a client.
  leaky: ";failStatus=401;failMessage=bad key fake-upstream-secret-credential",
};

function catalogFor(fakeUrl: string) {
  const providers = Object.entries(PROVIDERS).map(([slug, knobs]) => ({
    slug,
    name: `Fake ${slug}`,
    adapter: "openai",
    baseUrl: `${fakeUrl}/p/${slug}${knobs}/v1`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  }));
  // Nothing listens on port 9 of loopback: a real connection refusal.
  providers.push({ slug: "down", name: "Down", adapter: "openai", baseUrl: "http://127.0.0.1:9/v1", apiKeyEnv: "FAKE_UPSTREAM_API_KEY" });
  providers.push({ slug: "nokey", name: "No credential", adapter: "openai", baseUrl: `${fakeUrl}/p/nokey/v1`, apiKeyEnv: "UNSET_PROVIDER_API_KEY" });
  // Agent CLIs (Claude Code) get plain answers: a fake tool call would make them run tools.
  providers.push({
    slug: "agent-openai",
    name: "OpenAI-protocol for agents",
    adapter: "openai",
    baseUrl: `${fakeUrl}/p/agent-openai;toolCalls=false/v1`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  providers.push({
    slug: "agent-claude",
    name: "Anthropic-protocol for agents",
    adapter: "anthropic",
    baseUrl: `${fakeUrl}/p/agent-claude;toolCalls=false`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  providers.push({
    slug: "claude-native",
    name: "Anthropic-protocol",
    adapter: "anthropic",
    baseUrl: `${fakeUrl}/p/claude-native`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  providers.push({
    slug: "claude-overloaded",
    name: "Anthropic-protocol, overloaded",
    adapter: "anthropic",
    baseUrl: `${fakeUrl}/p/claude-overloaded;failStatus=529`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  // Their failures are set per test through the fake's knobs (failStatus, failMessage): echoes of our credential.
  providers.push({
    slug: "echo-openai",
    name: "Echoing, OpenAI-protocol",
    adapter: "openai",
    baseUrl: `${fakeUrl}/p/echo-openai/v1`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  providers.push({
    slug: "echo-claude",
    name: "Echoing, Anthropic-protocol",
    adapter: "anthropic",
    baseUrl: `${fakeUrl}/p/echo-claude`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  // Answers that are failures whatever their status: a redirect, 200 with HTML, an Anthropic stream opening with an error.
  providers.push({
    slug: "moved",
    name: "Redirects (302)",
    adapter: "openai",
    baseUrl: `${fakeUrl}/p/moved;redirectStatus=302/v1`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  providers.push({
    slug: "moved307",
    name: "Redirects (307)",
    adapter: "openai",
    baseUrl: `${fakeUrl}/p/moved307;redirectStatus=307/v1`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  providers.push({
    slug: "garbage",
    name: "200 with HTML",
    adapter: "openai",
    baseUrl: `${fakeUrl}/p/garbage;garbageBody/v1`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  providers.push({
    slug: "claude-errorfirst",
    name: "Anthropic-protocol, stream opens with overloaded_error",
    adapter: "anthropic",
    baseUrl: `${fakeUrl}/p/claude-errorfirst;errorFirstEvent`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  providers.push({
    slug: "claude-garbage",
    name: "Anthropic-protocol, 200 with HTML",
    adapter: "anthropic",
    baseUrl: `${fakeUrl}/p/claude-garbage;garbageBody`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  providers.push({
    slug: "claude-moved",
    name: "Anthropic-protocol, redirects",
    adapter: "anthropic",
    baseUrl: `${fakeUrl}/p/claude-moved;redirectStatus=307`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  // OpenAI Responses upstreams (adapter "responses"): plain, and one reporting cached and reasoning tokens.
  providers.push({
    slug: "responses-native",
    name: "Responses-protocol",
    adapter: "responses",
    baseUrl: `${fakeUrl}/p/responses-native/v1`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  providers.push({
    slug: "responses-cached",
    name: "Responses-protocol, cached and reasoning tokens",
    adapter: "responses",
    baseUrl: `${fakeUrl}/p/responses-cached;cachedTokens=40;reasoningTokens=5/v1`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  providers.push({
    slug: "responses-midcut",
    name: "Responses-protocol, cut mid-stream",
    adapter: "responses",
    baseUrl: `${fakeUrl}/p/responses-midcut;cut=mid;cutAfterChunks=2/v1`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  // Google Gemini upstreams (adapter "gemini", base URL up to /v1beta): plain, with cached and thinking tokens, cut mid-stream,
  // one whose key Google refuses (400 API_KEY_INVALID, the gateway's fault), and one whose failures each test sets through its knobs.
  providers.push({
    slug: "gemini-native",
    name: "Gemini-protocol",
    adapter: "gemini",
    baseUrl: `${fakeUrl}/p/gemini-native/v1beta`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  providers.push({
    slug: "gemini-cached",
    name: "Gemini-protocol, cached and thinking tokens",
    adapter: "gemini",
    baseUrl: `${fakeUrl}/p/gemini-cached;cachedTokens=40;reasoningTokens=5/v1beta`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  providers.push({
    slug: "gemini-midcut",
    name: "Gemini-protocol, cut mid-stream",
    adapter: "gemini",
    baseUrl: `${fakeUrl}/p/gemini-midcut;cut=mid;cutAfterChunks=2/v1beta`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  providers.push({
    slug: "gemini-badkey",
    name: "Gemini-protocol, refuses our key",
    adapter: "gemini",
    baseUrl: `${fakeUrl}/p/gemini-badkey;requireKey=another-key/v1beta`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  providers.push({
    slug: "gemini-echo",
    name: "Echoing, Gemini-protocol",
    adapter: "gemini",
    baseUrl: `${fakeUrl}/p/gemini-echo/v1beta`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  // Connection pools are per origin: the same fake upstream under a second origin (IPv4-mapped IPv6).
  const otherOrigin = fakeUrl.replace("127.0.0.1", "[::ffff:127.0.0.1]");
  providers.push({
    slug: "pool-slow",
    name: "Slow streams",
    adapter: "openai",
    baseUrl: `${fakeUrl}/p/pool-slow;tokensPerSecond=0.05;outputTokens=3/v1`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  providers.push({
    slug: "pool-spare",
    name: "Another origin",
    adapter: "openai",
    baseUrl: `${otherOrigin}/p/pool-spare/v1`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  const endpoint = (provider: string, prices = price(1, 2)) => ({ provider, name: `${provider}_ep`, upstreamModel: `upstream-${provider}`, pricings: prices });
  const model = (id: string, endpoints: object[], extra: object = {}) => ({
    id,
    name: id,
    contextLength: 8000,
    capabilities: { tools: true, json: true },
    endpoints,
    ...extra,
  });
  const all = Object.keys(PROVIDERS);
  const embeddingModel = (id: string, providers: string[]) =>
    model(
      id,
      providers.map((p) => ({
        provider: p,
        name: `${id.replace(/\W/g, "_")}_${p}`,
        upstreamModel: `upstream-embed-${p}`,
        pricings: { prompt: [{ value: 2, unit: "perMTokens", currency: "USD" }] },
      })),
      { capabilities: {}, outputModalities: ["embedding"] },
    );
  return {
    providers,
    models: [
      // Large contexts: Claude Code's system prompt and tools alone are ~20k tokens.
      model(
        "test/chat",
        [endpoint("fast"), endpoint("slow")].map((e, i) => ({ ...e, name: `chat_${i}` })),
        { aliases: ["chat-alias"], contextLength: 200_000 },
      ),
      // Every provider serves this one, so a test can order any of them first.
      model(
        "test/any",
        [...all, "down"].map((p) => ({ ...endpoint(p), name: `any_${p}` })),
      ),
      model("test/priced", [
        { ...endpoint("dear", price(5, 15)), name: "priced_dear" },
        { ...endpoint("cheap", price(0.5, 1.5, 0.05)), name: "priced_cheap" },
      ]),
      model("test/cached", [{ ...endpoint("cached", price(2, 8, 0.5)), name: "cached_ep" }]),
      model("test/broken-only", [{ ...endpoint("broken"), name: "broken_only" }]),
      model("test/nocred", [{ ...endpoint("nokey"), name: "nocred_ep" }]),
      model("test/claude", [{ ...endpoint("claude-native", price(3, 15, 0.3)), name: "native_ep" }], {
        aliases: ["claude-test-1"],
        contextLength: 200_000,
        capabilities: { tools: true, json: false, reasoning: true },
        inputModalities: ["text", "image"],
      }),
      // An Anthropic-protocol endpoint that is down, then an OpenAI-protocol one: failover across protocols.
      model(
        "test/mixed",
        [
          { ...endpoint("claude-overloaded"), name: "mixed_claude" },
          { ...endpoint("fast"), name: "mixed_fast" },
        ],
        { inputModalities: ["text", "image"] },
      ),
      model("test/tiny-context", [{ ...endpoint("fast"), name: "tiny_ep", contextLength: 50 }], { contextLength: 50 }),
      model("test/no-tools", [{ ...endpoint("fast"), name: "notools_ep" }], { capabilities: { tools: false } }),
      model("test/agent-claude", [{ ...endpoint("agent-claude"), name: "agent_claude" }], {
        contextLength: 200_000,
        capabilities: { tools: true, reasoning: true },
      }),
      model("test/agent-open", [{ ...endpoint("agent-openai"), name: "agent_open" }], { contextLength: 200_000, capabilities: { tools: true } }),
      // A fixed $0.01 per call (reservation = charge), for exact balance arithmetic.
      model("test/flat", [
        {
          provider: "fast",
          name: "flat_ep",
          upstreamModel: "upstream-flat",
          pricings: {
            prompt: [{ value: 0, unit: "perMTokens", currency: "USD" }],
            completion: [{ value: 0, unit: "perMTokens", currency: "USD" }],
            request: [{ value: 0.01, unit: "perCount", currency: "USD" }],
          },
        },
      ]),
      model("other/chat", [{ ...endpoint("fast"), name: "other_chat" }]),
      // Priced so that its largest allowed max_tokens makes a hold no 64-bit column can store.
      model("test/absurd", [{ ...endpoint("fast", price(0, 1e13)), name: "absurd_ep" }]),
      model("test/echo-openai", [{ ...endpoint("echo-openai"), name: "echo_openai_ep" }]),
      model("test/echo-claude", [{ ...endpoint("echo-claude"), name: "echo_claude_ep" }]),
      model(
        "test/faults",
        ["moved", "moved307", "garbage", "fast"].map((p) => ({ ...endpoint(p), name: `faults_${p}` })),
      ),
      model(
        "test/claude-faults",
        ["claude-errorfirst", "claude-garbage", "claude-moved", "claude-native"].map((p) => ({ ...endpoint(p), name: `claude_faults_${p}` })),
        { contextLength: 200_000 },
      ),
      model("test/responses", [{ ...endpoint("responses-native", price(1, 2, 0.1)), name: "responses_native" }], {
        contextLength: 200_000,
        capabilities: { tools: true, json: true, reasoning: true },
      }),
      model("test/responses-cached", [{ ...endpoint("responses-cached", price(2, 8, 0.5)), name: "responses_cached" }], {
        capabilities: { tools: true, json: true, reasoning: true },
      }),
      model("test/responses-midcut", [{ ...endpoint("responses-midcut"), name: "responses_midcut" }]),
      // A Chat-protocol endpoint that is down, then a Responses one: failover into the native protocol.
      model("test/responses-mixed", [
        { ...endpoint("broken"), name: "rmixed_broken" },
        { ...endpoint("responses-native"), name: "rmixed_native" },
      ]),
      model("test/gemini", [{ ...endpoint("gemini-native", price(1, 2, 0.1)), name: "gemini_native" }], {
        contextLength: 200_000,
        capabilities: { tools: true, json: true, reasoning: true },
        inputModalities: ["text", "image"],
      }),
      model("test/gemini-cached", [{ ...endpoint("gemini-cached", price(2, 8, 0.5)), name: "gemini_cached" }], {
        capabilities: { tools: true, json: true, reasoning: true },
      }),
      model("test/gemini-midcut", [{ ...endpoint("gemini-midcut"), name: "gemini_midcut" }]),
      // Its first endpoint fails as each test sets it; the second is a working Gemini one.
      model("test/gemini-echo", [
        { ...endpoint("gemini-echo"), name: "gecho_echo" },
        { ...endpoint("gemini-native"), name: "gecho_native" },
      ]),
      // A Chat-protocol endpoint that is down, then a Gemini one; a Gemini one refusing our key, then a working one.
      model("test/gemini-mixed", [
        { ...endpoint("broken"), name: "gmixed_broken" },
        { ...endpoint("gemini-native"), name: "gmixed_native" },
      ]),
      model("test/gemini-badkey", [
        { ...endpoint("gemini-badkey"), name: "gbadkey_refused" },
        { ...endpoint("gemini-native"), name: "gbadkey_native" },
      ]),
      model(
        "test/pool",
        ["pool-slow", "pool-spare"].map((p) => ({ ...endpoint(p), name: `pool_${p}` })),
      ),
      // Embedding models (output_modalities ["embedding"]), priced per input token only: one behind a broken
      // provider, and one whose only provider speaks Anthropic's protocol, which has no embeddings.
      embeddingModel("test/embed", ["fast"]),
      embeddingModel("test/embed-failover", ["broken", "cheap"]),
      embeddingModel("test/embed-claude", ["claude-native"]),
    ],
  };
}

export async function startGatewayFixture(
  extraEnv: Record<string, string> = {},
  options: { database?: DatabaseTarget; nodeArgs?: readonly string[] } = {},
): Promise<GatewayFixture> {
  const fake = await startFakeUpstream({ defaults: { outputTokens: 6 } });
  const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-gateway-"));
  const catalogFile = path.join(dir, "catalog.json");
  writeFileSync(catalogFile, JSON.stringify(catalogFor(fake.url)));
  const dbTarget: DatabaseTarget = options.database ?? { kind: "sqlite", url: `file:${path.join(dir, "db.sqlite")}`, filePath: path.join(dir, "db.sqlite") };
  const env = {
    DATA_DIR: dir,
    DATABASE_URL: dbTarget.url,
    CATALOG_FILE: catalogFile,
    FAKE_UPSTREAM_API_KEY: "fake-upstream-secret-credential",
    UNSET_PROVIDER_API_KEY: "",
    FIRST_TOKEN_TIMEOUT_MS: "1500",
    STREAM_KEEPALIVE_MS: "400",
    MAX_REQUEST_BYTES: "200000",
    ...extraEnv,
  };
  const server = await startSwitchyard(env, undefined, options.nodeArgs);
  const db = createDb(dbTarget);
  const user = await createUser(db, { email: "dev@example.com", password: "long enough password" });
  const models = new Set(catalogFor(fake.url).models.map((m) => m.id));
  const { key } = await createApiKey(db, user.id, createApiKeyInputSchema.parse({ name: "tests" }), models);
  const { key: limitedKey } = await createApiKey(db, user.id, createApiKeyInputSchema.parse({ name: "limited", allowedModels: ["test/priced"] }), models);
  await db.$disconnect();
  return {
    url: server.url,
    key,
    limitedKey,
    userId: user.id,
    dbTarget,
    env,
    catalogFile,
    fake,
    server,
    recordOf: (id, recordKey = key) => recordedGeneration(server.url, typeof id === "string" ? id : id.headers.get("x-request-id")!, recordKey),
    stop: async () => {
      await server.stop();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
