import { describe, expect, it } from "vitest";
import { createGroupCommit } from "./group-commit";

/** A stand-in transaction: records each batch, and is held open until released. */
function recordingWriter(refuse: (item: number) => boolean = () => false) {
  const batches: number[][] = [];
  let release: () => void = () => undefined;
  let held = Promise.resolve();
  return {
    batches,
    holdNext() {
      held = new Promise<void>((resolve) => (release = resolve));
    },
    release: () => release(),
    async write(batch: number[]) {
      batches.push(batch);
      await held;
      if (batch.some(refuse)) throw new Error(`refused ${batch.filter(refuse).join(",")}`);
      return batch.map((item) => item * 10);
    },
  };
}

describe("group commit", () => {
  it("writes the items submitted in one turn as one batch, and each caller gets its own result", async () => {
    const writer = recordingWriter();
    const commits = createGroupCommit(writer.write);
    expect(await Promise.all([1, 2, 3].map((i) => commits.submit(i)))).toEqual([10, 20, 30]);
    expect(writer.batches).toEqual([[1, 2, 3]]);
  });

  it("queues items that arrive while a batch is written and writes them together next", async () => {
    const writer = recordingWriter();
    writer.holdNext();
    const commits = createGroupCommit(writer.write);
    const first = commits.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((i) => commits.submit(i));
    writer.release();
    expect(await Promise.all([first, ...later])).toEqual([10, 20, 30, 40]);
    expect(writer.batches).toEqual([[1], [2, 3, 4]]);
  });

  it("fails only the item a refused batch was refused for", async () => {
    const writer = recordingWriter((item) => item === 2);
    const commits = createGroupCommit(writer.write);
    const results = await Promise.allSettled([1, 2, 3].map((i) => commits.submit(i)));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(writer.batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it("caps a batch at maxBatch", async () => {
    const writer = recordingWriter();
    const commits = createGroupCommit(writer.write, { maxBatch: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((i) => commits.submit(i)));
    expect(writer.batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("on abandon, lets the batch being written commit and drops what is queued behind it", async () => {
    const writer = recordingWriter();
    writer.holdNext();
    const commits = createGroupCommit(writer.write);
    const first = commits.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const queued = commits.submit(2);
    const abandoning = commits.abandon(new Error("died"));
    writer.release();
    await abandoning;
    expect(await first).toBe(10);
    await expect(queued).rejects.toThrow("died");
    await expect(commits.submit(3)).rejects.toThrow();
    expect(writer.batches).toEqual([[1]]);
  });

  it("flush resolves once everything submitted is written", async () => {
    const writer = recordingWriter();
    const commits = createGroupCommit(writer.write);
    const submitted = [1, 2].map((i) => commits.submit(i));
    await commits.flush();
    expect(writer.batches).toEqual([[1, 2]]);
    await Promise.all(submitted);
    await commits.flush();
  });
});
