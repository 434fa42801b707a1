/** "enabled", "disabled" or "not configured" (no credential), for a provider or one of its endpoints. */
import { PROVIDER_STATUS_LABELS, type ProviderStatus } from "@/lib/public-pages/provider-status";

const STYLES: Record<ProviderStatus, string> = {
  enabled: "bg-teal-50 text-teal-800 dark:bg-teal-950 dark:text-teal-300",
  not_configured: "bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  disabled: "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400",
};

const TITLES: Record<ProviderStatus, string> = {
  enabled: "The gateway routes calls to it",
  not_configured: "This gateway has no credential for it, so no calls are routed to it",
  disabled: "Turned off by an admin",
};

export function StatusBadge({ status }: { status: ProviderStatus }) {
  return (
    <span className={`shrink-0 rounded-full px-2 py-0.5 text-xs ${STYLES[status]}`} title={TITLES[status]} data-status={status}>
      {PROVIDER_STATUS_LABELS[status]}
    </span>
  );
}
