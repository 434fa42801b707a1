"use client";
/** "Test credential": one real one-token request; shows success or the upstream's status and message. */
import { useState, type FormEvent } from "react";
import { fieldErrorsOf } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Modal } from "@/components/ui/modal";
import type { AdminProviderDto } from "@/lib/provider-config/provider-dto";
import { useTestCredential } from "./use-admin-providers";

export function CredentialTestDialog({ provider, onClose }: { provider: AdminProviderDto | null; onClose: () => void }) {
  const test = useTestCredential();
  const [model, setModel] = useState("");
  const fields = fieldErrorsOf(test.error);

  function close() {
    test.reset();
    setModel("");
    onClose();
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (provider) test.mutate({ id: provider.id, model: model.trim() || undefined });
  }

  const result = test.data;
  return (
    <Modal open={provider !== null} title={`Test the credential of ${provider?.slug ?? ""}`} onRequestClose={close}>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Sends one real request for a single output token (not streamed) through the provider&apos;s adapter, with the credential the gateway would use. The
          provider bills it.
        </p>
        <FormField
          label="Upstream model"
          name="model"
          value={model}
          onChange={(event) => setModel(event.target.value)}
          error={fields.model}
          hint={
            provider && provider.enabledEndpoints > 0
              ? "Optional: empty uses one of the provider's enabled endpoints."
              : "This provider has no endpoints yet: enter a model id it serves, e.g. gpt-4o-mini."
          }
        />
        {fields.credential || (test.error && !fields.model) ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
            {fields.credential ?? test.error?.message}
          </p>
        ) : null}
        {result ? (
          result.ok ? (
            <p role="status" className="rounded-md bg-teal-50 px-3 py-2 text-sm text-teal-800 dark:bg-teal-950 dark:text-teal-200">
              Success: {result.model} answered {result.status} in {result.durationMs} ms (credential from{" "}
              {result.credentialSource === "environment" ? "the environment" : "the stored value"}).
            </p>
          ) : (
            <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
              <p className="font-medium">{result.status ? `The upstream answered ${result.status}` : "The upstream could not be reached"}</p>
              <p className="mt-1 break-words font-mono text-xs">{result.message}</p>
            </div>
          )
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={close}>
            Close
          </Button>
          <Button type="submit" disabled={test.isPending}>
            {test.isPending ? "Testing…" : "Send test request"}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
