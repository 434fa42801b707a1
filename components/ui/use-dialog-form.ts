"use client";
/**
 * A dialog form's submission state: per-field messages from a 400, or one message for
 * anything else, and whether it is in flight. On success the dialog closes; closing
 * clears the messages, so a reopened dialog starts clean.
 */
import { useState, type FormEvent } from "react";
import { ConsoleApiError } from "@/components/console/console-fetch";

export function useDialogForm<T>(options: { read: (form: FormData) => T; submit: (input: T) => Promise<void>; onClose: () => void }) {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  function close() {
    setFields({});
    setError(null);
    options.onClose();
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setFields({});
    setError(null);
    try {
      await options.submit(options.read(new FormData(event.currentTarget)));
      setPending(false);
      close();
    } catch (caught) {
      setPending(false);
      if (caught instanceof ConsoleApiError && Object.keys(caught.fields).some(Boolean)) setFields(caught.fields);
      else setError((caught as Error).message);
    }
  }

  return { fields, error, pending, close, onSubmit };
}
