import { isDemoMode } from "@/lib/demo/demo-mode";

/**
 * The demo-mode strip at the top of every page (site and console layouts). Rendered on
 * the server from SWITCHYARD_DEMO, which the start script sets for `npm start -- --demo`.
 */
export function DemoBanner() {
  if (!isDemoMode()) return null;
  return (
    <div
      role="status"
      data-testid="demo-banner"
      className="bg-amber-100 px-4 py-1.5 text-center text-sm text-amber-950 dark:bg-amber-900/60 dark:text-amber-50"
    >
      <strong>Demo mode.</strong> Every provider is a local fake upstream: answers are made up, and the credit is demo credit. Restart without{" "}
      <code>--demo</code> to use real providers.
    </div>
  );
}
