"use client";
/**
 * Shows a new key once. Closing needs an explicit "I have stored it" confirmation,
 * because the key can never be shown again; Esc or a click outside only reminds.
 */
import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";

export function NewKeyDialog({ apiKey, onClose }: { apiKey: string | null; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [reminder, setReminder] = useState(false);

  function close() {
    setCopied(false);
    setConfirmed(false);
    setReminder(false);
    onClose();
  }

  async function copy() {
    if (!apiKey) return;
    await navigator.clipboard.writeText(apiKey);
    setCopied(true);
  }

  return (
    <Modal open={apiKey !== null} title="Your new API key" onRequestClose={() => (confirmed ? close() : setReminder(true))}>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Copy it now and keep it somewhere safe. For your security it will not be shown again.</p>
      <div className="mt-4 flex items-center gap-2">
        <code aria-label="Full API key" className="min-w-0 flex-1 break-all rounded-md bg-zinc-100 px-3 py-2 font-mono text-sm dark:bg-zinc-800">
          {apiKey}
        </code>
        <Button variant="secondary" onClick={copy} aria-label="Copy key">
          {copied ? <Check aria-hidden className="size-4" /> : <Copy aria-hidden className="size-4" />}
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      <label className="mt-5 flex items-center gap-2 text-sm">
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />I have stored this key somewhere safe
      </label>
      {reminder && !confirmed ? (
        <p role="alert" className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:bg-amber-950 dark:text-amber-200">
          This key will not be shown again. Copy it, tick the box, then close.
        </p>
      ) : null}
      <div className="mt-6 flex justify-end">
        <Button onClick={close} disabled={!confirmed}>
          Done
        </Button>
      </div>
    </Modal>
  );
}
