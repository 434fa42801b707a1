/**
 * The walls ESLint keeps (eslint.config.mjs, docs/architecture.md "Layers"): a core file
 * importing a service, Next or Prisma, a page or component importing the database client,
 * a service importing the composition root, and an import cycle each fail the lint; a
 * file without the offending import passes.
 * Each case is a scratch file written at a real path for the moment of the lint (the
 * import resolver and the cycle check read the disk), then removed.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });
const tag = `wall-check-${process.pid}`;

/** The rule ids ESLint reports for `files` (path → code), each written for the lint and removed after. */
async function ruleIdsOf(files: Record<string, string>): Promise<string[]> {
  const written = Object.keys(files);
  try {
    for (const [file, code] of Object.entries(files)) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, code);
    }
    const results = await eslint.lintFiles(written);
    return results.flatMap((r) => r.messages.map((m) => m.ruleId ?? m.message));
  } finally {
    for (const file of written) rmSync(file, { force: true });
  }
}

describe("the layer walls", () => {
  it("refuse a core file that imports a service, the database, Next or Prisma; its own files are fine", async () => {
    const file = `lib/gateway/${tag}.ts`;
    expect(await ruleIdsOf({ [file]: 'import { getDb } from "../db/client.ts";\nexport const db = getDb;\n' })).toContain("import/no-restricted-paths");
    expect(await ruleIdsOf({ [file]: 'import { readBalance } from "../billing/balance.ts";\nexport const read = readBalance;\n' })).toContain(
      "import/no-restricted-paths",
    );
    expect(await ruleIdsOf({ [file]: 'import { NextResponse } from "next/server";\nexport const r = NextResponse;\n' })).toContain("no-restricted-imports");
    expect(await ruleIdsOf({ [file]: 'import { Prisma } from "@prisma/client";\nexport const p = Prisma;\n' })).toContain("no-restricted-imports");
    expect(await ruleIdsOf({ [file]: 'import { encodeSse } from "./sse.ts";\nexport const e = encodeSse;\n' })).toEqual([]);
  }, 120_000);

  it("refuse a page or a component that imports the database client", async () => {
    const code = 'import { getDb } from "@/lib/db/client";\nexport const db = getDb;\n';
    expect(await ruleIdsOf({ [`components/${tag}.tsx`]: code })).toContain("import/no-restricted-paths");
    expect(await ruleIdsOf({ [`app/${tag}/page.tsx`]: code })).toContain("import/no-restricted-paths");
    rmSync(`app/${tag}`, { recursive: true, force: true });
  }, 120_000);

  it("refuse a service that reaches up into the composition root; its http/ edge may", async () => {
    const code = 'import { getGateway } from "../server/gateway.ts";\nexport const g = getGateway;\n';
    expect(await ruleIdsOf({ [`lib/catalog/${tag}.ts`]: code })).toContain("import/no-restricted-paths");
    expect(await ruleIdsOf({ [`lib/catalog/http/${tag}.ts`]: code.replace("../server", "../../server") })).toEqual([]);
  }, 120_000);

  it("refuse an import cycle", async () => {
    const a = `lib/${tag}-a.ts`;
    const b = `lib/${tag}-b.ts`;
    const ids = await ruleIdsOf({
      [a]: `import { b } from "./${tag}-b.ts";\nexport const a = () => b;\n`,
      [b]: `import { a } from "./${tag}-a.ts";\nexport const b = () => a;\n`,
    });
    expect(ids).toContain("import/no-cycle");
  }, 120_000);
});
