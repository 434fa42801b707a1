/**
 * The demo catalog (`npm start -- --demo`): a few models over fake providers of every
 * adapter kind, all served by the fake upstream the start script runs beside the server.
 * Each provider is a fake provider name whose behaviour is baked into its base URL
 * (fake-upstream/README.md, "Knobs"), so routing, failover and the model browser's
 * comparisons have something real to show. Pure: the fake's origin comes in.
 */
import type { CatalogFile, CatalogProvider } from "../catalog/catalog-schema.ts";

/** The variable holding the demo's credential for the fake (never a real key). */
export const DEMO_CREDENTIAL_ENV = "DEMO_UPSTREAM_API_KEY";

/** The flaky provider: fails its next DEMO_FLAKY_FAILURES calls every DEMO_FLAKY_PERIOD_MS (the fake's failTimes counter is reset that often). */
export const DEMO_FLAKY_PROVIDER = "demo-flaky";
export const DEMO_FLAKY_FAILURES = 2;
export const DEMO_FLAKY_PERIOD_MS = 30_000;

/** The model the README, tests and snippets use in demo mode. */
export const DEMO_CHAT_MODEL = "demo/chat";

type DemoProvider = { slug: string; name: string; adapter: CatalogProvider["adapter"]; path: string; knobs: string };

const PROVIDERS: DemoProvider[] = [
  { slug: "demo-openai", name: "Demo OpenAI-compatible", adapter: "openai", path: "/v1", knobs: ";ttftMs=150;tokensPerSecond=80" },
  {
    slug: DEMO_FLAKY_PROVIDER,
    name: "Demo Flaky Cloud",
    adapter: "openai",
    path: "/v1",
    knobs: `;ttftMs=60;tokensPerSecond=120;failStatus=503;failTimes=${DEMO_FLAKY_FAILURES}`,
  },
  { slug: "demo-slow", name: "Demo Slow Cloud", adapter: "openai", path: "/v1", knobs: ";latencyMs=400;ttftMs=1500;tokensPerSecond=15" },
  { slug: "demo-anthropic", name: "Demo Anthropic-compatible", adapter: "anthropic", path: "", knobs: ";ttftMs=250;tokensPerSecond=60;cachedTokens=8" },
  { slug: "demo-responses", name: "Demo Responses", adapter: "responses", path: "/v1", knobs: ";ttftMs=300;tokensPerSecond=50;reasoningTokens=24" },
  { slug: "demo-gemini", name: "Demo Gemini", adapter: "gemini", path: "/v1beta", knobs: ";ttftMs=200;tokensPerSecond=90" },
];

const price = (prompt: number, completion: number) => ({
  prompt: [{ value: prompt, unit: "perMTokens" as const, currency: "USD" as const }],
  completion: [{ value: completion, unit: "perMTokens" as const, currency: "USD" as const }],
});

const endpoint = (provider: string, upstreamModel: string, prompt: number, completion: number) => ({
  provider,
  name: `${provider.replace(/-/g, "_")}_${upstreamModel.replace(/[^a-z0-9]/g, "_")}`,
  upstreamModel,
  pricings: price(prompt, completion),
});

/** The demo catalog over the fake upstream at `fakeOrigin` (`http://127.0.0.1:PORT`). */
export function buildDemoCatalog(fakeOrigin: string): CatalogFile {
  const origin = fakeOrigin.replace(/\/+$/, "");
  return {
    description: "Switchyard demo mode: every provider is the local fake upstream. Rewritten at every demo start.",
    providers: PROVIDERS.map((p) => ({
      slug: p.slug,
      name: p.name,
      adapter: p.adapter,
      baseUrl: `${origin}/p/${p.slug}${p.knobs}${p.path}`,
      apiKeyEnv: DEMO_CREDENTIAL_ENV,
    })),
    models: [
      {
        id: DEMO_CHAT_MODEL,
        name: "Demo: Chat",
        description:
          "A chat model served by four fake providers: a fast one, a flaky one (fails now and then, so calls fail over), an Anthropic-protocol one and a slow one.",
        contextLength: 128_000,
        maxOutput: 4096,
        capabilities: { tools: true, json: true },
        aliases: ["demo-chat"],
        endpoints: [
          endpoint("demo-openai", "chat-1", 0.5, 1.5),
          endpoint(DEMO_FLAKY_PROVIDER, "chat-1", 0.4, 1.2),
          endpoint("demo-anthropic", "chat-1", 0.6, 1.8),
          endpoint("demo-slow", "chat-1", 0.3, 0.9),
        ],
      },
      {
        id: "demo/reasoner",
        name: "Demo: Reasoner",
        description: "A reasoning model over a Responses-protocol provider, a Gemini-protocol provider and the slow one.",
        contextLength: 200_000,
        maxOutput: 8192,
        capabilities: { tools: true, reasoning: true, json: true },
        endpoints: [endpoint("demo-responses", "reasoner-1", 2, 8), endpoint("demo-gemini", "reasoner-1", 1.5, 6), endpoint("demo-slow", "reasoner-1", 1, 4)],
      },
      {
        id: "demo/mini",
        name: "Demo: Mini",
        description: "A small, cheap model on the Anthropic-protocol and Gemini-protocol providers.",
        contextLength: 32_000,
        maxOutput: 2048,
        capabilities: { json: true },
        aliases: ["demo-mini"],
        endpoints: [endpoint("demo-anthropic", "mini-1", 0.1, 0.3), endpoint("demo-gemini", "mini-1", 0.08, 0.32)],
      },
      {
        id: "demo/embed",
        name: "Demo: Embeddings",
        contextLength: 8192,
        outputModalities: ["embedding"],
        endpoints: [{ ...endpoint("demo-openai", "embed-1", 0.02, 0), pricings: { prompt: price(0.02, 0).prompt } }],
      },
    ],
  };
}
