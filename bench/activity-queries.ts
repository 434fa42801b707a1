/**
 * `npm run bench:activity`: are the activity page's and the usage charts' queries fast at
 * a million calls? For SQLite and then PostgreSQL (skipped when unreachable) a fresh
 * database is seeded with 1,000,000 synthetic calls over 30 days (bench/activity-seed.ts),
 * then each lib/ query function the console uses is timed (3 warm-ups, up to 30 runs)
 * and its p95 checked against the 200 ms goal. A query that misses it gets its plan
 * printed. Progress goes to stderr; stdout gets the table and the plans; the results
 * are also written to bench/results/activity-latest.json.
 *
 * BENCH_ACTIVITY_ROWS (default 1000000), BENCH_ACTIVITY_DBS (default "sqlite,postgres")
 * and BENCH_EXPLAIN=all (plans for every query) are for trying things out.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ACTIVITY_PAGE_SIZE, activityFilterOptions, iterateActivity, listActivity } from "../lib/activity/activity-query.ts";
import type { ActivityFilters } from "../lib/activity/activity-filters.ts";
import { dashboardWindowStart, prepareDashboardFigures } from "../lib/activity/dashboard-figures.ts";
import { resolveChartRange } from "../lib/activity/usage-buckets.ts";
import { prepareUsageCharts } from "../lib/activity/usage-charts.ts";
import {
  findFirstUsageDay,
  hasAnyUsage,
  listUsageFilterOptions,
  loadKeyLabels,
  queryProviderUsageRows,
  queryUsageSeries,
} from "../lib/activity/usage-query.ts";
import type { Granularity } from "../lib/activity/usage-buckets.ts";
import type { DatabaseTarget, Db } from "../lib/db/client.ts";
import { createTestDatabase, isPostgresAvailable, type TestDatabase } from "../tests/support/test-database.ts";
import { MODELS, PROVIDERS, RARE_FINISH_REASON } from "./activity-data.ts";
import { seedActivity, type SeededData } from "./activity-seed.ts";
import { percentile } from "./load.ts";
import { createQueryRecorder, explainQuery } from "./query-plans.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const RESULTS_FILE = path.join(ROOT, "bench/results/activity-latest.json");
const ROWS = Number(process.env.BENCH_ACTIVITY_ROWS ?? 1_000_000);
const DAYS = 30;
const GOAL_P95_MS = 200;
const WARM_UPS = 3;
const RUNS = 30;
/** A query slower than this stops early (after 3 to 5 runs): enough to see it fails. */
const CASE_BUDGET_MS = 15_000;
const DEEP_PAGES = 200;
const EXPORT_ROWS = 10_000;
const HOUR = 3_600_000;
/** What the console's catalog snapshot would hold for the synthetic traffic (the filter menus read it). */
const CATALOG = { models: MODELS.map((m) => m.slug), providers: PROVIDERS };

type Kind = DatabaseTarget["kind"];
type Case = { name: string; goal: boolean; run: (db: Db) => Promise<unknown> };
type Result = { name: string; runs: number; p50: number; p95: number; max: number; pass: boolean | null; plans?: string[] };
type DatabaseReport = {
  kind: Kind;
  seeding: Omit<SeededData, "heavyProviders" | "heavyModels" | "heavyKeyIds" | "heavyUserId">;
  notes: string[];
  results: Result[];
};

const log = (line: string): void => void process.stderr.write(`bench:activity: ${line}\n`);
const round = (n: number): number => Math.round(n * 10) / 10;
/** The value ranked in the middle by call count: neither the dominant one nor a rarity. */
const middleOf = (counts: Map<string, number>): string => [...counts].sort((a, b) => b[1] - a[1])[Math.floor(counts.size / 2)][0];

function activityCases(seeded: SeededData, deepCursor: string, lookupId: string): Case[] {
  const heavy = (over: Partial<ActivityFilters> = {}): ActivityFilters => ({
    userId: seeded.heavyUserId,
    from: null,
    to: null,
    apiKeyId: null,
    model: null,
    provider: null,
    status: null,
    finishReason: null,
    api: null,
    ...over,
  });
  const admin = (over: Partial<ActivityFilters> = {}): ActivityFilters => heavy({ userId: null, ...over });
  const provider = middleOf(seeded.heavyProviders);
  const model = middleOf(seeded.heavyModels);
  const key = seeded.heavyKeyIds[seeded.heavyKeyIds.length - 1];
  const page =
    (filters: ActivityFilters, options: Parameters<typeof listActivity>[2] = {}) =>
    (db: Db) =>
      listActivity(db, filters, options);
  return [
    { name: "activity: first page", goal: true, run: page(heavy()) },
    { name: `activity: provider=${provider}`, goal: true, run: page(heavy({ provider })) },
    { name: `activity: model=${model}`, goal: true, run: page(heavy({ model })) },
    { name: "activity: status=error", goal: true, run: page(heavy({ status: "error" })) },
    { name: "activity: apiKey (least used)", goal: true, run: page(heavy({ apiKeyId: key })) },
    { name: `activity: finish=${RARE_FINISH_REASON} (rare)`, goal: true, run: page(heavy({ finishReason: RARE_FINISH_REASON })) },
    { name: `activity: page ${DEEP_PAGES + 1} (cursor)`, goal: true, run: page(heavy(), { cursor: deepCursor }) },
    { name: "activity: q=<id>", goal: true, run: page(heavy(), { q: lookupId }) },
    { name: "activity: admin, all accounts", goal: true, run: page(admin()) },
    { name: `activity: admin, provider=${provider}`, goal: true, run: page(admin({ provider })) },
    { name: "activity: filter options", goal: true, run: (db) => activityFilterOptions(db, seeded.heavyUserId, CATALOG) },
    { name: "activity: admin filter options", goal: true, run: (db) => activityFilterOptions(db, null, CATALOG) },
    {
      name: `activity: CSV export, first ${EXPORT_ROWS / 1000}k rows (total)`,
      goal: false,
      run: async (db) => {
        let rows = 0;
        for await (const batch of iterateActivity(db, heavy())) if ((rows += batch.length) >= EXPORT_ROWS) break;
      },
    },
  ];
}

function usageCases(seeded: SeededData, now: Date): Case[] {
  const heavyId = seeded.heavyUserId;
  // As GET /api/console/usage does: the range widened to whole buckets, up to now; hour
  // charts read the hourly rollups, day and month charts the daily ones.
  const rangeOf = (hours: number, granularity: Granularity | null) =>
    resolveChartRange({ from: now.getTime() - hours * HOUR, to: now.getTime(), granularity, timeZone: "UTC" });
  const rows =
    (userId: string | null, hours: number, granularity: Granularity | null = null) =>
    (db: Db) => {
      const range = rangeOf(hours, granularity);
      return queryUsageSeries(db, { userId, from: new Date(range.from), to: now }, range.granularity === "hour" ? "hour" : "day");
    };
  const wholePage = (userId: string | null, hours: number) => async (db: Db) => {
    const range = rangeOf(hours, null);
    const found = await queryUsageSeries(db, { userId, from: new Date(range.from), to: now }, range.granularity === "hour" ? "hour" : "day");
    const labels = await loadKeyLabels(
      db,
      found.key.map((r) => r.apiKeyId),
    );
    return prepareUsageCharts(found, range, { keyLabel: (id) => labels.get(id) ?? "Unknown key" });
  };
  const cases: Case[] = [];
  for (const [label, hours] of [
    ["24h", 24],
    ["7d", 7 * 24],
    ["30d", DAYS * 24],
  ] as const) {
    cases.push({ name: `usage: rows ${label}`, goal: true, run: rows(heavyId, hours) });
    cases.push({ name: `usage: rows ${label}, all accounts`, goal: true, run: rows(null, hours) });
  }
  const busiestProvider = [...seeded.heavyProviders].sort((a, b) => b[1] - a[1])[0][0];
  cases.push(
    { name: "usage: rows 48h by hour", goal: true, run: rows(heavyId, 48, "hour") },
    { name: "usage: rows 48h by hour, all accounts", goal: true, run: rows(null, 48, "hour") },
    { name: "usage: page 7d (rows+labels+charts)", goal: true, run: wholePage(heavyId, 7 * 24) },
    { name: "usage: page 30d (rows+labels+charts)", goal: true, run: wholePage(heavyId, DAYS * 24) },
    { name: "usage: page 30d, all accounts", goal: true, run: wholePage(null, DAYS * 24) },
    { name: "usage: first day (range=all)", goal: true, run: (db) => findFirstUsageDay(db, { userId: heavyId, from: null, to: null }) },
    { name: "usage: filter options", goal: true, run: (db) => listUsageFilterOptions(db, heavyId, { includeAccounts: false }) },
    { name: "usage: admin filter options", goal: true, run: (db) => listUsageFilterOptions(db, null, { includeAccounts: true }) },
    {
      name: "dashboard: summary (rows+figures)",
      goal: true,
      run: async (db) =>
        prepareDashboardFigures((await queryUsageSeries(db, { userId: heavyId, from: dashboardWindowStart(now), to: null }, "day", ["model"])).model, now),
    },
    { name: "dashboard: has any usage", goal: true, run: (db) => hasAnyUsage(db, heavyId) },
    {
      name: `provider page: tokens per day (${busiestProvider})`,
      goal: true,
      run: (db) => queryProviderUsageRows(db, busiestProvider, new Date(now.getTime() - DAYS * 24 * HOUR)),
    },
  );
  return cases;
}

async function measure(db: Db, c: Case): Promise<Result> {
  const runs = c.goal ? RUNS : 3;
  let warmUpMs = 0;
  for (let i = 0; i < (c.goal ? WARM_UPS : 1); i++) {
    const t0 = performance.now();
    await c.run(db);
    warmUpMs = performance.now() - t0;
  }
  // A query taking seconds has missed the goal by far: a few runs show by how much.
  const minRuns = warmUpMs > 1000 ? 3 : 5;
  const times: number[] = [];
  const started = performance.now();
  while (times.length < runs && (times.length < minRuns || performance.now() - started < CASE_BUDGET_MS)) {
    const t0 = performance.now();
    await c.run(db);
    times.push(performance.now() - t0);
  }
  const sorted = times.sort((a, b) => a - b);
  const p95 = percentile(sorted, 95);
  return {
    name: c.name,
    runs: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(p95),
    max: round(sorted[sorted.length - 1]),
    pass: c.goal ? p95 < GOAL_P95_MS : null,
  };
}

/**
 * The cursor "Load more" reaches after `DEEP_PAGES` pages of the heavy account. A cursor
 * only names the last row seen, so walking in steps of 500 rows gets the same one sooner.
 */
async function deepCursor(db: Db, userId: string): Promise<{ cursor: string; firstId: string; seconds: number }> {
  const started = performance.now();
  const filters: ActivityFilters = { userId, from: null, to: null, apiKeyId: null, model: null, provider: null, status: null, finishReason: null, api: null };
  const step = 500;
  let cursor: string | null = null;
  for (let seen = 0; seen < DEEP_PAGES * ACTIVITY_PAGE_SIZE; seen += step) {
    cursor = (await listActivity(db, filters, { cursor, limit: Math.min(step, DEEP_PAGES * ACTIVITY_PAGE_SIZE - seen) })).nextCursor;
    if (!cursor) throw new Error(`the heavy account has fewer than ${DEEP_PAGES} pages`);
  }
  const next = await listActivity(db, filters, { cursor });
  return { cursor: cursor!, firstId: next.data[0].id, seconds: (performance.now() - started) / 1000 };
}

async function benchDatabase(kind: Kind, track: (drop: () => Promise<void>) => void): Promise<DatabaseReport> {
  log(`${kind}: creating a fresh database`);
  const database: TestDatabase = await createTestDatabase(kind);
  track(() => database.drop());
  const now = new Date();
  log(`${kind}: seeding ${ROWS.toLocaleString("en")} generations over ${DAYS} days`);
  const seeded = await seedActivity(database.db, database.target, { rows: ROWS, days: DAYS, now: now.getTime(), log });
  log(
    `${kind}: seeded in ${Math.round(seeded.seedSeconds)} s (+${Math.round(seeded.analyzeSeconds)} s ANALYZE): ${seeded.attempts.toLocaleString("en")} attempts, ${seeded.rollups.toLocaleString("en")} rollup rows`,
  );
  const deep = await deepCursor(database.db, seeded.heavyUserId);
  const notes = [`walking to the cursor of page ${DEEP_PAGES + 1} took ${deep.seconds.toFixed(1)} s`];
  const recorder = createQueryRecorder(database.target);
  track(() => recorder.close());
  const results: Result[] = [];
  for (const c of [...activityCases(seeded, deep.cursor, deep.firstId), ...usageCases(seeded, now)]) {
    const result = await measure(database.db, c);
    if (result.pass === false || process.env.BENCH_EXPLAIN === "all") {
      // The slowest statements first: that is where the time goes.
      const statements = (await recorder.record(c.run)).sort((a, b) => b.durationMs - a.durationMs).slice(0, 2);
      result.plans = await Promise.all(statements.map(async (q) => `-- ${round(q.durationMs)} ms: ${q.sql}\n${await explainQuery(recorder.db, kind, q)}`));
    }
    log(`${kind}: ${c.name}: p50 ${result.p50} ms, p95 ${result.p95} ms${result.pass === false ? " (FAIL)" : ""}`);
    results.push(result);
  }
  const { heavyProviders: _p, heavyModels: _m, heavyKeyIds: _k, heavyUserId: _u, ...seeding } = seeded;
  return { kind, seeding: { ...seeding, seedSeconds: round(seeding.seedSeconds), analyzeSeconds: round(seeding.analyzeSeconds) }, notes, results };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ")).join("\n");
}

function report(databases: DatabaseReport[], skipped: string[]): string {
  const verdict = (r: Result | undefined) => (!r ? "-" : r.pass === null ? "info" : r.pass ? "PASS" : "FAIL");
  const header = ["query", ...databases.flatMap((d) => [`${d.kind} p50`, "p95", "max", "runs", ""])];
  const names = [...new Set(databases.flatMap((d) => d.results.map((r) => r.name)))];
  const rows = names.map((name) => [
    name,
    ...databases.flatMap((d) => {
      const r = d.results.find((x) => x.name === name);
      return r ? [String(r.p50), String(r.p95), String(r.max), String(r.runs), verdict(r)] : ["-", "-", "-", "-", "-"];
    }),
  ]);
  const lines = [
    table([header, ...rows]),
    "",
    `times in ms; goal: p95 < ${GOAL_P95_MS} ms ("info": no goal; the CSV line is the time to stream ${EXPORT_ROWS.toLocaleString("en")} rows)`,
  ];
  for (const d of databases) {
    const s = d.seeding;
    lines.push(
      `${d.kind}: ${s.generations.toLocaleString("en")} generations, ${s.attempts.toLocaleString("en")} attempts, ${s.rollups.toLocaleString("en")} rollup rows; seeded in ${s.seedSeconds} s, ANALYZE ${s.analyzeSeconds} s; ${d.notes.join("; ")}`,
    );
  }
  for (const why of skipped) lines.push(why);
  for (const d of databases) {
    // The column lists are long and say nothing about the plan; the JSON keeps them.
    const short = (plan: string) => plan.replace(/^(-- [^\n]*?SELECT )(.{120,}?)( FROM )/, "$1…$3");
    for (const r of d.results.filter((x) => x.plans)) lines.push("", `== ${d.kind}: ${r.name} (p95 ${r.p95} ms) ==`, ...r.plans!.map(short));
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async (): Promise<void> => {
    while (cleanups.length) await cleanups.pop()!().catch((error: unknown) => log(`clean-up: ${String(error)}`));
  };
  // Interrupted runs still drop what they created.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  try {
    const wanted = (process.env.BENCH_ACTIVITY_DBS ?? "sqlite,postgres").split(",").map((k) => k.trim()) as Kind[];
    const loadBefore = os.loadavg()[0];
    const databases: DatabaseReport[] = [];
    const skipped: string[] = [];
    for (const kind of wanted) {
      if (kind === "postgres" && !(await isPostgresAvailable())) {
        skipped.push("postgres: skipped (not reachable; set TEST_POSTGRES_ADMIN_URL)");
        log(skipped[skipped.length - 1]);
        continue;
      }
      databases.push(await benchDatabase(kind, (drop) => cleanups.push(drop)));
      await cleanUp();
    }
    const results = {
      generatedAt: new Date().toISOString(),
      machine: {
        node: process.version,
        cpus: os.cpus().length,
        platform: `${os.platform()} ${os.release()}`,
        loadAvg1mBefore: round(loadBefore),
        loadAvg1mAfter: round(os.loadavg()[0]),
      },
      config: {
        rows: ROWS,
        days: DAYS,
        goalP95Ms: GOAL_P95_MS,
        warmUps: WARM_UPS,
        runs: RUNS,
        caseBudgetMs: CASE_BUDGET_MS,
        deepPages: DEEP_PAGES,
        exportRows: EXPORT_ROWS,
      },
      skipped,
      databases,
    };
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    const busy = loadBefore > 1 ? `\nnote: the 1-minute load average was ${round(loadBefore)} before the run (other work on this machine): expect noise.` : "";
    process.stdout.write(`${report(databases, skipped)}\n${busy}\n`);
    log(`results written to ${path.relative(ROOT, RESULTS_FILE)}`);
  } finally {
    await cleanUp();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
