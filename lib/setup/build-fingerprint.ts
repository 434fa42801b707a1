/**
 * Whether the production build in .next matches the source tree: a hash of every file
 * the build reads. `npm start` rebuilds only when it changed, so a second start takes
 * seconds and a pulled change is never served from a stale build.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];
const STAMP_FILE = ".next/switchyard-build.json";

function* walk(root: string, relative: string): Generator<string> {
  const full = path.join(root, relative);
  if (!existsSync(full)) return;
  if (statSync(full).isFile()) {
    yield relative;
    return;
  }
  for (const entry of readdirSync(full).sort()) {
    if (entry.startsWith(".") || entry === "__fixtures__" || /\.test\.tsx?$/.test(entry)) continue;
    yield* walk(root, path.join(relative, entry));
  }
}

export function computeBuildFingerprint(root: string): string {
  const hash = createHash("sha256");
  for (const input of BUILD_INPUTS) {
    for (const file of walk(root, input)) {
      hash
        .update(file)
        .update("\0")
        .update(readFileSync(path.join(root, file)))
        .update("\0");
    }
  }
  return hash.digest("hex");
}

export function isBuildCurrent(root: string, fingerprint = computeBuildFingerprint(root)): boolean {
  const stamp = path.join(root, STAMP_FILE);
  if (!existsSync(path.join(root, ".next/BUILD_ID")) || !existsSync(stamp)) return false;
  try {
    return (JSON.parse(readFileSync(stamp, "utf8")) as { fingerprint?: string }).fingerprint === fingerprint;
  } catch {
    return false;
  }
}

export function recordBuild(root: string, fingerprint: string): void {
  writeFileSync(path.join(root, STAMP_FILE), JSON.stringify({ fingerprint, builtAt: new Date().toISOString() }, null, 2));
}
