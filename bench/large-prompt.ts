/**
 * The large-prompt case: what a coding agent sends after a while — a long system prompt,
 * then many turns of instructions, file contents and answers, ~150 KB of text in all.
 * Deterministic, so every target and every run gets the same bytes.
 */
export const LARGE_PROMPT_BYTES = 150 * 1024;

type Message = { role: "system" | "user" | "assistant"; content: string };

const SYSTEM = [
  "You are a coding agent working in a TypeScript repository. Read files before changing them,",
  "keep changes small, run the type checker and the tests after each change, and explain what you did.",
  "Never invent APIs: look them up in the code. Prefer editing existing files to creating new ones.",
].join(" ");

/** A plausible source file of about `lines` lines; `seed` varies the names. */
function sourceFile(seed: number, lines: number): string {
  const out = [`// src/feature-${seed}/service-${seed}.ts`, `import { z } from "zod";`, ""];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `export const item${seed}x${i}Schema = z.object({ id: z.string(), count: z.number().int().min(0), label: z.string().max(80) });`,
      `export async function loadItem${seed}x${i}(db: Db, id: string): Promise<Item${i} | null> {`,
      `  const row = await db.item.findUnique({ where: { id }, select: { id: true, count: true, label: true } });`,
      `  return row ? item${seed}x${i}Schema.parse(row) : null; // rows written before v${i} have no label`,
      "}",
      "",
    );
  }
  return out.join("\n");
}

/** Conversation turns until the message text reaches LARGE_PROMPT_BYTES. */
export function largePromptMessages(): Message[] {
  const messages: Message[] = [{ role: "system", content: SYSTEM }];
  let bytes = SYSTEM.length;
  for (let turn = 0; bytes < LARGE_PROMPT_BYTES; turn++) {
    const step: Message[] = [
      { role: "user", content: `Step ${turn}: the tests for feature ${turn} fail with "expected 3, received 2". Here is the file:\n\n${sourceFile(turn, 60)}` },
      {
        role: "assistant",
        content: `The count in loadItem${turn}x2 is read before the migration backfills it. I will parse with a default of 0 and add a test for rows without a label, then run the tests again.`,
      },
    ];
    for (const message of step) {
      messages.push(message);
      bytes += message.content.length;
    }
  }
  messages.push({ role: "user", content: "All green now. Summarize the changes in two sentences." });
  return messages;
}
