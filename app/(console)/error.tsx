"use client";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";

/** A console page failed to render: say so and offer a retry instead of a blank screen. */
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6 dark:border-red-900 dark:bg-red-950">
      <h2 className="font-semibold text-red-800 dark:text-red-200">This page could not be loaded</h2>
      <p className="mt-1 text-sm text-red-700 dark:text-red-300">
        Something went wrong on our side{error.digest ? ` (reference ${error.digest})` : ""}. Try again in a moment.
      </p>
      <Button className="mt-4" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
