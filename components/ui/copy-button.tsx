"use client";
/** Copies text to the clipboard and says so for a moment. `compact`: an icon-only button for dense rows. */
import { Check, Copy } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "./button";

export function CopyButton({ text, label, children = "Copy", compact = false }: { text: string; label: string; children?: string; compact?: boolean }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    setCopied(true);
  };
  const Icon = copied ? Check : Copy;
  if (compact) {
    return (
      <button
        type="button"
        aria-label={label}
        title={copied ? "Copied" : label}
        onClick={copy}
        className="inline-flex size-6 shrink-0 items-center justify-center rounded text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-teal-600 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
      >
        <Icon aria-hidden className={`size-3.5${copied ? " text-teal-600" : ""}`} />
        <span className="sr-only" aria-live="polite">
          {copied ? "Copied" : ""}
        </span>
      </button>
    );
  }
  return (
    <Button variant="secondary" aria-label={label} onClick={copy}>
      <Icon aria-hidden className="size-4" />
      {copied ? "Copied" : children}
    </Button>
  );
}
