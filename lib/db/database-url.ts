/**
 * Which database Switchyard talks to, from DATABASE_URL (docs/architecture.md §Data).
 * Default: an embedded SQLite file at ./data/switchyard.db. Pure: no I/O.
 */
import path from "node:path";

export const DEFAULT_DATABASE_URL = "file:./data/switchyard.db";

export type DatabaseTarget = { kind: "sqlite"; url: string; filePath: string } | { kind: "postgres"; url: string };

export function resolveDatabaseTarget(rawUrl: string | undefined, cwd: string = process.cwd()): DatabaseTarget {
  const url = rawUrl?.trim() || DEFAULT_DATABASE_URL;
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: "postgres", url };
  if (url.startsWith("file:")) {
    const filePath = path.resolve(cwd, url.slice("file:".length).replace(/^\/\/(?=\/)/, ""));
    return { kind: "sqlite", url: `file:${filePath}`, filePath };
  }
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgres:// (PostgreSQL), got "${redactUrl(url)}"`);
}

/** A URL safe to print: the password, if any, replaced. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, "//$1:***@");
}
