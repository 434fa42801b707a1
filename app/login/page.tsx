import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Sign in" };

/** Accounts arrive with the console (issue "Step 2"); until then this page says so honestly. */
export default function LoginPage() {
  return (
    <main className="mx-auto max-w-md px-4 py-20 text-center">
      <h1 className="text-2xl font-semibold">Sign in is coming soon</h1>
      <p className="mt-3 text-zinc-600 dark:text-zinc-400">
        Accounts, API keys and the console are being built. Meanwhile you can browse the model catalog and its public API.
      </p>
      <Link href="/models" className="mt-6 inline-block rounded-md bg-teal-700 px-4 py-2 font-medium text-white hover:bg-teal-800">
        Browse models
      </Link>
    </main>
  );
}
