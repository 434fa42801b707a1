/** Shown on an organization's pages while its balance is below the alert threshold its admins set. */
export function BalanceAlertNotice({ organizationName, thresholdUsd }: { organizationName: string; thresholdUsd: string }) {
  return (
    <p role="alert" className="mb-6 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
      {organizationName}&apos;s balance is below its alert threshold of ${thresholdUsd}. An admin can top it up on the Billing page.
    </p>
  );
}
