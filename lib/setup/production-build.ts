/**
 * Runs `next build` when the build is missing or stale (see build-fingerprint.ts), and
 * records the fingerprint it built. Shared by `npm start` and `npm run build`.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { computeBuildFingerprint, isBuildCurrent, recordBuild } from "./build-fingerprint.ts";

export type BuildOutcome = "current" | "built" | "failed";

export function ensureProductionBuild(root: string, options: { force?: boolean; log?: (line: string) => void } = {}): BuildOutcome {
  const fingerprint = computeBuildFingerprint(root);
  if (!options.force && isBuildCurrent(root, fingerprint)) return "current";
  options.log?.("building the console and API (first start or changed source; this takes a minute or two)");
  const nextBin = path.join(root, "node_modules/next/dist/bin/next");
  const build = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) return "failed";
  recordBuild(root, fingerprint);
  return "built";
}
