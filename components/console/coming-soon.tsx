import { Construction } from "lucide-react";
import { PageHeader } from "./page-header";

/** An honest placeholder for a console page whose feature has not landed yet: no fake data. */
export function ComingSoon({ title, what }: { title: string; what: string }) {
  return (
    <>
      <PageHeader title={title} />
      <div className="rounded-lg border border-dashed border-zinc-300 p-10 text-center dark:border-zinc-700">
        <Construction aria-hidden className="mx-auto size-8 text-zinc-400" />
        <p className="mt-3 font-medium">Coming soon</p>
        <p className="mx-auto mt-1 max-w-md text-sm text-zinc-600 dark:text-zinc-400">{what}</p>
      </div>
    </>
  );
}
