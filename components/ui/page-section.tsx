import type { ReactNode } from "react";

/** A titled section of a public page: an h2 that names the region, an optional lead paragraph. */
export function PageSection({ id, title, description, children }: { id: string; title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="mt-10">
      <h2 id={id} className={`text-lg font-semibold${description ? "" : " mb-3"}`}>
        {title}
      </h2>
      {description ? <p className="mb-3 mt-1 text-sm text-zinc-600 dark:text-zinc-400">{description}</p> : null}
      {children}
    </section>
  );
}
