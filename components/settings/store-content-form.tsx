"use client";
/** The account's opt-in to storing request and response bodies (off by default). */
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { consoleFetch } from "@/components/console/console-fetch";
import { FormAlert } from "@/components/ui/form-alert";

export function StoreContentForm({ initial, retentionDays }: { initial: boolean; retentionDays: number }) {
  const [enabled, setEnabled] = useState(initial);
  const save = useMutation({
    mutationFn: (storeContent: boolean) =>
      consoleFetch<{ data: { storeContent: boolean } }>("/api/console/settings", { method: "PATCH", body: { storeContent } }),
    onSuccess: (result) => setEnabled(result.data.storeContent),
  });
  return (
    <div className="flex flex-col gap-2 text-sm">
      <label className="flex items-start gap-2">
        <input type="checkbox" className="mt-0.5" checked={enabled} disabled={save.isPending} onChange={(event) => save.mutate(event.target.checked)} />
        <span>
          <span className="font-medium">Store request and response bodies</span>
          <span className="block text-zinc-600 dark:text-zinc-400">
            For debugging: the activity detail then shows what was sent and answered. Off by default; only metadata (model, provider, tokens, cost, timing) is
            kept otherwise. Stored bodies are deleted after {retentionDays} {retentionDays === 1 ? "day" : "days"}.
          </span>
        </span>
      </label>
      {save.isSuccess ? (
        <p role="status" className="text-teal-700 dark:text-teal-400">
          {enabled ? "Bodies of new calls will be stored." : "Bodies of new calls will not be stored."}
        </p>
      ) : null}
      {save.error ? <FormAlert>{save.error.message}</FormAlert> : null}
    </div>
  );
}
