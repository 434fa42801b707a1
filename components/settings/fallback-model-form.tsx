"use client";
/** The account's default fallback model: one field, saved through the console API. */
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { consoleFetch, ConsoleApiError } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";

export function FallbackModelForm({ initial, models }: { initial: string | null; models: string[] }) {
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (defaultFallbackModel: string | null) =>
      consoleFetch<{ data: { defaultFallbackModel: string | null } }>("/api/console/settings", { method: "PATCH", body: { defaultFallbackModel } }),
    onSuccess: (result) => setSaved(result.data.defaultFallbackModel ?? "none"),
  });
  const fieldError = save.error instanceof ConsoleApiError ? (save.error.fields.defaultFallbackModel ?? save.error.message) : save.error?.message;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    save.mutate(String(new FormData(event.currentTarget).get("defaultFallbackModel") ?? "").trim() || null);
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
      <FormField
        label="Default fallback model"
        name="defaultFallbackModel"
        list="fallback-models"
        defaultValue={initial ?? ""}
        error={fieldError}
        hint="Tried when every provider of the model you asked for failed. Empty: no account-wide fallback."
      />
      <datalist id="fallback-models">
        {models.map((slug) => (
          <option key={slug} value={slug} />
        ))}
      </datalist>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={save.isPending}>
          Save
        </Button>
        {saved ? (
          <span role="status" className="text-sm text-teal-700 dark:text-teal-400">
            Saved{saved === "none" ? ": no fallback model" : `: ${saved}`}
          </span>
        ) : null}
      </div>
    </form>
  );
}
