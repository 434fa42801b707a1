"use client";
/** An organization admin's balance alert: a threshold in USD and an optional webhook told when the balance falls below it. */
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { consoleFetch, fieldErrorsOf } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";

type Alert = { thresholdUsd: string | null; webhookUrl: string | null };

export function BalanceAlertForm({ initial }: { initial: Alert }) {
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (input: { thresholdUsd: string; webhookUrl: string }) =>
      consoleFetch<{ data: Alert }>("/api/console/organization/alert", { method: "PUT", body: input }),
  });
  const fields = fieldErrorsOf(save.error);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setSaved(false);
    const done = await save
      .mutateAsync({ thresholdUsd: String(data.get("thresholdUsd") ?? ""), webhookUrl: String(data.get("webhookUrl") ?? "") })
      .catch(() => null);
    if (!done) return;
    setSaved(true);
    router.refresh();
  }

  return (
    <form onSubmit={submit} noValidate className="flex max-w-xl flex-col gap-3">
      <FormField
        label="Alert when the balance falls below (USD)"
        name="thresholdUsd"
        inputMode="decimal"
        defaultValue={initial.thresholdUsd ?? ""}
        placeholder="No alert"
        hint="The console shows a notice, once per crossing, until the balance is back above it."
        error={fields.thresholdUsd}
      />
      <FormField
        label="Webhook URL (optional)"
        name="webhookUrl"
        type="url"
        defaultValue={initial.webhookUrl ?? ""}
        placeholder="https://hooks.example.com/switchyard"
        hint="Receives a JSON POST (type balance.below_threshold) when the alert fires."
        error={fields.webhookUrl}
      />
      {save.error && !fields.thresholdUsd && !fields.webhookUrl ? <FormAlert>{save.error.message}</FormAlert> : null}
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={save.isPending}>
          Save alert
        </Button>
        {saved ? (
          <p role="status" className="text-sm text-teal-700 dark:text-teal-400">
            Saved.
          </p>
        ) : null}
      </div>
    </form>
  );
}
