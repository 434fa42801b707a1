"use client";
/** Admin: turn active health probes on or off and set how often they run. */
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { consoleFetch, ConsoleApiError } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import type { HealthProbeSettings } from "@/lib/settings/health-probe-settings";

export function HealthProbesForm({ initial, endpoints }: { initial: HealthProbeSettings; endpoints: number }) {
  const [enabled, setEnabled] = useState(initial.enabled);
  const [saved, setSaved] = useState<HealthProbeSettings | null>(null);
  const save = useMutation({
    mutationFn: (settings: HealthProbeSettings) =>
      consoleFetch<{ data: HealthProbeSettings }>("/api/console/admin/health-probes", { method: "PUT", body: settings }),
    onSuccess: (result) => setSaved(result.data),
  });
  const fieldError = save.error instanceof ConsoleApiError ? save.error.fields.intervalMinutes : undefined;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    save.mutate({ enabled, intervalMinutes: Number(new FormData(event.currentTarget).get("intervalMinutes")) });
  }

  return (
    <form onSubmit={submit} className="flex max-w-xl flex-col gap-3" noValidate>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Each probe is a real one-token request to a provider, billed to the provider credential, not to any account. With {endpoints} enabled endpoints, one
        round costs {endpoints} tiny requests. Results count towards availability and can open or close an endpoint&apos;s circuit; model pages mark them as
        probes.
      </p>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
        Probe every endpoint
      </label>
      <FormField
        label="Interval (minutes)"
        name="intervalMinutes"
        type="number"
        min={1}
        max={1440}
        defaultValue={String(initial.intervalMinutes)}
        error={fieldError ?? (save.error && !fieldError ? save.error.message : undefined)}
      />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={save.isPending}>
          Save
        </Button>
        {saved ? (
          <span role="status" className="text-sm text-teal-700 dark:text-teal-400">
            {saved.enabled ? `Probes on, every ${saved.intervalMinutes} min.` : "Probes off."}
          </span>
        ) : null}
      </div>
    </form>
  );
}
