/** "enabled" or "disabled", for a provider or one of its endpoints. */
export function EnabledBadge({ enabled }: { enabled: boolean }) {
  return enabled ? (
    <span className="shrink-0 rounded-full bg-teal-50 px-2 py-0.5 text-xs text-teal-800 dark:bg-teal-950 dark:text-teal-300">enabled</span>
  ) : (
    <span className="shrink-0 rounded-full bg-zinc-100 px-2 py-0.5 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400">disabled</span>
  );
}
