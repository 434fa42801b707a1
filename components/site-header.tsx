import Link from "next/link";
import { getSessionUser } from "@/lib/auth/session";
import { ThemeToggle } from "./theme-toggle";

export async function SiteHeader() {
  const user = await getSessionUser();
  return (
    <header className="border-b border-zinc-200 dark:border-zinc-800">
      <nav aria-label="Main" className="mx-auto flex max-w-6xl items-center gap-6 px-4 py-3 text-sm">
        <Link href="/" className="flex items-center gap-2 font-semibold">
          {/* eslint-disable-next-line @next/next/no-img-element -- a tiny static SVG needs no optimisation */}
          <img src="/favicon.svg" alt="" width={22} height={22} />
          Switchyard
        </Link>
        <Link href="/models" className="text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white">
          Models
        </Link>
        <Link href="/providers" className="text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white">
          Providers
        </Link>
        <Link href="/docs" className="text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white">
          API docs
        </Link>
        <div className="ml-auto flex items-center gap-3">
          <ThemeToggle />
          {user ? (
            <Link href="/dashboard" className="rounded-md bg-teal-700 px-3 py-1.5 font-medium text-white hover:bg-teal-800">
              Console
            </Link>
          ) : (
            <Link href="/login" className="rounded-md bg-teal-700 px-3 py-1.5 font-medium text-white hover:bg-teal-800">
              Sign in
            </Link>
          )}
        </div>
      </nav>
    </header>
  );
}
