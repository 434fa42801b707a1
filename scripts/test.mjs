// `npm test`: the whole suite, in the order a failure is cheapest to find.
// format (Prettier) → lint (with the layer walls) → type check → production build (only when stale) → Vitest (unit + integration,
// SQLite and, when reachable, PostgreSQL; servers through the production node door) →
// the billing, failover, streaming, disconnect, API-edge (404/405) and access-log files (every surface) again
// through Next's route handlers (SWITCHYARD_FRONT=next, the Web door) → Playwright in Debian's Chromium.
import { spawnSync } from "node:child_process";

const steps = [
  ["format", "node", ["node_modules/prettier/bin/prettier.cjs", "--check", "--log-level", "warn", "**/*.{ts,tsx,mjs,css}"]],
  ["lint", "node", ["node_modules/eslint/bin/eslint.js", ".", "--max-warnings", "0"]],
  ["type check", "node", ["node_modules/typescript/bin/tsc", "--noEmit"]],
  ["build", "node", ["node_modules/tsx/dist/cli.mjs", "scripts/build.ts", "--if-stale"]],
  ["unit and integration tests", "node", ["node_modules/vitest/vitest.mjs", "run"]],
  [
    "the route-handler door (SWITCHYARD_FRONT=next)",
    "node",
    [
      "node_modules/vitest/vitest.mjs",
      "run",
      "tests/integration/node-door.test.ts",
      "tests/integration/api-edges.test.ts",
      "tests/integration/chat-completions.test.ts",
      "tests/integration/anthropic-surface.test.ts",
      "tests/integration/upstream-pool.test.ts",
      "tests/integration/billing.test.ts",
      "tests/integration/responses-api.test.ts",
      "tests/integration/stored-responses.test.ts",
      "tests/integration/embeddings.test.ts",
      "tests/integration/gemini-api.test.ts",
      "tests/integration/access-log.test.ts",
    ],
    { SWITCHYARD_FRONT: "next" },
  ],
  ["end-to-end tests", "node", ["node_modules/@playwright/test/cli.js", "test"]],
];

const started = Date.now();
for (const [name, command, args, env = {}] of steps) {
  const stepStarted = Date.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  const seconds = ((Date.now() - stepStarted) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed after ${seconds} s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${name} (${seconds} s)`);
}
console.log(`\nall checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
