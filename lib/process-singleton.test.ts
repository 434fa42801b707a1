import { afterEach, describe, expect, it, vi } from "vitest";
import { existingProcessSingleton, processSingleton } from "./process-singleton";

const NAME = "switchyardSingletonTest";

describe("processSingleton", () => {
  afterEach(() => {
    delete (globalThis as Record<string, unknown>)[NAME];
  });

  it("creates the value once per process and hands every caller (every bundle's copy of the module) the same one", async () => {
    const create = vi.fn(() => ({ made: Date.now() }));
    const first = processSingleton(NAME, create);
    expect(processSingleton(NAME, create)).toBe(first);
    expect(create).toHaveBeenCalledOnce();
    // Another bundle has its own copy of this module: a fresh import shares the value through globalThis.
    vi.resetModules();
    const again = await import("./process-singleton");
    expect(again.processSingleton(NAME, () => ({ made: -1 }))).toBe(first);
  });

  it("answers undefined for a value nobody created, without creating it", () => {
    expect(existingProcessSingleton(NAME)).toBeUndefined();
    expect(NAME in globalThis).toBe(false);
  });
});
