"use client";
/** A column's model, provider pin and routing preference. */
import { useId } from "react";
import { ROUTING_PREFERENCES, type ColumnSettings, type RoutingPreference } from "@/lib/playground/chat-request";
import type { PlaygroundModel } from "@/lib/playground/playground-models";

const controlClass =
  "w-full min-w-0 rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm outline-none focus:border-teal-600 focus:ring-2 focus:ring-teal-600/20 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900";

const ROUTING_LABELS: Record<RoutingPreference, string> = {
  default: "Default (fastest first token)",
  latency: "Lowest latency",
  price: "Lowest price",
  throughput: "Highest throughput",
};

export function ColumnSettingsBar({
  models,
  settings,
  onChange,
  disabled,
}: {
  models: readonly PlaygroundModel[];
  settings: ColumnSettings;
  onChange: (settings: ColumnSettings) => void;
  disabled: boolean;
}) {
  const id = useId();
  const providers = models.find((m) => m.slug === settings.model)?.providers ?? [];
  return (
    <div className="grid gap-2 sm:grid-cols-2">
      <div className="flex min-w-0 flex-col gap-1 sm:col-span-2">
        <label htmlFor={`${id}-model`} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Model
        </label>
        <select
          id={`${id}-model`}
          className={controlClass}
          value={settings.model}
          disabled={disabled}
          onChange={(e) => onChange({ ...settings, model: e.target.value, provider: "" })}
        >
          <option value="">Choose a model…</option>
          {models.map((m) => (
            <option key={m.slug} value={m.slug}>
              {m.name} ({m.slug})
            </option>
          ))}
        </select>
      </div>
      <div className="flex min-w-0 flex-col gap-1">
        <label htmlFor={`${id}-provider`} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Provider
        </label>
        <select
          id={`${id}-provider`}
          className={controlClass}
          value={settings.provider}
          disabled={disabled || !settings.model}
          onChange={(e) => onChange({ ...settings, provider: e.target.value })}
        >
          <option value="">Any (routed)</option>
          {providers.map((p) => (
            <option key={p.slug} value={p.slug}>
              Pin {p.name} ({p.slug})
            </option>
          ))}
        </select>
      </div>
      <div className="flex min-w-0 flex-col gap-1">
        <label htmlFor={`${id}-routing`} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Routing
        </label>
        <select
          id={`${id}-routing`}
          className={controlClass}
          value={settings.routing}
          disabled={disabled || settings.provider !== ""}
          title={settings.provider ? "A pinned provider is the only candidate" : undefined}
          onChange={(e) => onChange({ ...settings, routing: e.target.value as RoutingPreference })}
        >
          {ROUTING_PREFERENCES.map((r) => (
            <option key={r} value={r}>
              {ROUTING_LABELS[r]}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
