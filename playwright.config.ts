/**
 * End-to-end tests in Debian's Chromium against the production build, served by the
 * real start script on a throwaway database. Playwright starts and stops the server.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3217);
const fakePort = Number(process.env.E2E_FAKE_UPSTREAM_PORT ?? 3218);
const dataDir = mkdtempSync(path.join(os.tmpdir(), "switchyard-e2e-"));

/**
 * The built-in catalog plus one model served by three fake providers on loopback (one
 * always failing with 503), so browser tests can make real calls, failovers included, and
 * a fourth whose key variable is never set: the pages show it "not configured".
 */
function writeE2eCatalog(): string {
  const builtin = JSON.parse(readFileSync(path.join(import.meta.dirname, "catalog/builtin.json"), "utf8"));
  const fake = (slug: string, knobs = "") => ({
    slug,
    name: `Fake ${slug}`,
    adapter: "openai",
    baseUrl: `http://127.0.0.1:${fakePort}/p/${slug}${knobs}/v1`,
    apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
  });
  const price = (prompt: number, completion: number) => ({
    prompt: [{ value: prompt, unit: "perMTokens", currency: "USD" }],
    completion: [{ value: completion, unit: "perMTokens", currency: "USD" }],
  });
  const endpoint = (provider: string, prices: object) => ({
    provider,
    name: `e2e_${provider.replace("-", "_")}`,
    upstreamModel: "fake-model",
    pricings: prices,
  });
  builtin.providers.push(fake("e2e-broken", ";failStatus=503"), fake("e2e-fast"), fake("e2e-steady", ";ttftMs=600"), {
    ...fake("e2e-keyless"),
    apiKeyEnv: "E2E_KEYLESS_API_KEY",
  });
  builtin.models.push({
    id: "e2e/chat",
    name: "E2E: Chat",
    contextLength: 32000,
    capabilities: { tools: true, json: true },
    endpoints: [
      endpoint("e2e-broken", price(1, 2)),
      endpoint("e2e-fast", price(2, 4)),
      endpoint("e2e-steady", price(3, 6)),
      endpoint("e2e-keyless", price(5, 10)),
    ],
  });
  const file = path.join(dataDir, "catalog.json");
  writeFileSync(file, JSON.stringify(builtin));
  return file;
}

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? "list" : [["list"]],
  // Whole user journeys (sign in, call the API, read the console) on a shared 2-core box:
  // a generous budget per journey, so a busy machine slows them without failing them.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    permissions: ["clipboard-read", "clipboard-write"],
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // Without these Chromium reaches for Google's services, which this network refuses.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: [
    {
      command: `node --import tsx fake-upstream/main.ts --port ${fakePort}`,
      url: `http://127.0.0.1:${fakePort}/_stats`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: "node scripts/serve.mjs",
      url: `http://127.0.0.1:${port}/api/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: {
        PORT: String(port),
        DATA_DIR: dataDir,
        DATABASE_URL: `file:${path.join(dataDir, "switchyard.db")}`,
        SWITCHYARD_NO_BUILD: "1",
        CATALOG_FILE: writeE2eCatalog(),
        FAKE_UPSTREAM_API_KEY: "fake-upstream-e2e-credential",
        // Admins add providers on the loopback fake upstream (e2e/admin-providers.spec.ts).
        ALLOW_PRIVATE_UPSTREAMS: "true",
        // Every browser test signs in from one address, and the admin's email more than ten
        // times a minute across specs; the throttle has its own integration test.
        SIGN_IN_ATTEMPTS_PER_MINUTE_PER_IP: "1000",
        SIGN_IN_ATTEMPTS_PER_MINUTE: "1000",
      },
    },
  ],
});
