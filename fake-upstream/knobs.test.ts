import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BUILTIN_KNOBS, KnobError, knobsFromHeaders, mergeKnobs, parseKnobObject, parseProviderSegment } from "./knobs.ts";
import { argumentsFromSchema, estimatePromptTokens, splitFragments, wordTokens } from "./generation.ts";

describe("knob parsing", () => {
  it("parses a provider path segment with typed, URL-decoded values", () => {
    expect(parseProviderSegment("slow;ttftMs=800;hang;text=a%20b;cut=mid;failStatus=none")).toEqual({
      name: "slow",
      knobs: { ttftMs: 800, hang: true, text: "a b", cut: "mid", failStatus: null },
    });
    expect(parseProviderSegment("plain")).toEqual({ name: "plain", knobs: {} });
    expect(parseProviderSegment("k;ignore-max-tokens=false").knobs).toEqual({ ignoreMaxTokens: false });
  });

  it("rejects unknown knobs and bad values", () => {
    expect(() => parseProviderSegment("x;ttft=5")).toThrow(KnobError);
    expect(() => parseProviderSegment("x;ttftMs=soon")).toThrow(KnobError);
    expect(() => parseProviderSegment("x;cut=sideways")).toThrow(KnobError);
    expect(() => parseKnobObject({ failStatus: 42 })).toThrow(KnobError);
    expect(() => parseKnobObject({ nope: 1 })).toThrow(KnobError);
  });

  it("reads x-fake-* headers in kebab case", () => {
    expect(knobsFromHeaders({ "x-fake-ttft-ms": "500", "x-fake-error-first-event": "true", authorization: "Bearer k" })).toEqual({
      ttftMs: 500,
      errorFirstEvent: true,
    });
  });

  it("merges layers, later wins, undefined never erases", () => {
    const merged = mergeKnobs(BUILTIN_KNOBS, { outputTokens: 3, failStatus: 500 }, { failStatus: null }, {});
    expect(merged.outputTokens).toBe(3);
    expect(merged.failStatus).toBeNull();
  });
});

describe("generation helpers", () => {
  it("keeps predictable token arithmetic", () => {
    expect(wordTokens("  Hello  big world")).toEqual(["  Hello  ", "big ", "world"]);
    expect(estimatePromptTokens(["abcde"], 2)).toBe(2 + 8);
    expect(argumentsFromSchema({ properties: { a: { type: "string" } }, required: ["a", "b"] })).toEqual({
      a: "test",
      b: null,
    });
    for (const text of ["{ }", '{"city":"test"}', "x".repeat(100)]) {
      const parts = splitFragments(text);
      expect(parts.length).toBeGreaterThanOrEqual(3);
      expect(parts.join("")).toBe(text);
      expect(parts.every((part) => part.length > 0)).toBe(true);
    }
  });
});

describe("CLI", () => {
  it("prints its URL, serves with default knobs from flags, and exits cleanly on SIGTERM", async () => {
    const main = path.join(import.meta.dirname, "main.ts");
    const child = spawn(process.execPath, ["--import", "tsx", main, "--port", "0", "--fail-status", "503"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (data: Buffer) => {
          out += data.toString();
          if (out.includes("\n")) resolve(out.split("\n")[0]);
        });
        child.once("exit", (code) => reject(new Error(`CLI exited early with ${code}`)));
      });
      const match = /^fake upstream listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      expect(match).not.toBeNull();
      const response = await fetch(`${match?.[1]}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: "Bearer k" },
        body: JSON.stringify({ model: "m", messages: [] }),
      });
      expect(response.status).toBe(503);
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  });
});
