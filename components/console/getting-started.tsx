import { CheckCircle2, Circle } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { CodeBlock } from "@/components/code-block";

/** Shown on the dashboard until the account has made its first call. */
function Step({ done, children }: { done: boolean; children: ReactNode }) {
  return (
    <li className="flex gap-2">
      {done ? (
        <CheckCircle2 aria-label="done" className="mt-0.5 size-4 shrink-0 text-teal-600" />
      ) : (
        <Circle aria-hidden className="mt-0.5 size-4 shrink-0 text-zinc-400" />
      )}
      <div className="min-w-0 flex-1">{children}</div>
    </li>
  );
}

export function GettingStarted({ hasKey, origin }: { hasKey: boolean; origin: string }) {
  return (
    <section aria-labelledby="getting-started" className="rounded-lg border border-zinc-200 p-6 dark:border-zinc-800">
      <h2 id="getting-started" className="text-lg font-semibold">
        Getting started
      </h2>
      <ol className="mt-4 flex flex-col gap-4 text-sm">
        <Step done={hasKey}>
          {hasKey ? (
            "You have an API key."
          ) : (
            <>
              <Link href="/keys" className="font-medium text-teal-700 hover:underline dark:text-teal-400">
                Create your first API key
              </Link>{" "}
              and keep it somewhere safe: it is shown once.
            </>
          )}
        </Step>
        <Step done={false}>
          <p className="mb-2">Make your first call with it:</p>
          <CodeBlock
            label="curl"
            code={`curl ${origin}/api/v1/chat/completions \\
  -H "Authorization: Bearer $SWITCHYARD_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]}'`}
          />
        </Step>
        <Step done={false}>See it in Activity, with the provider that served it and what it cost.</Step>
      </ol>
    </section>
  );
}
