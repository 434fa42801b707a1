"use client";
/**
 * Add a provider, or edit one. The credential field is write-only: it is never filled
 * from the server (the browser never gets the credential), empty keeps the stored one.
 */
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { Modal } from "@/components/ui/modal";
import { useDialogForm } from "@/components/ui/use-dialog-form";
import type { AdminProviderDto } from "@/lib/provider-config/provider-dto";
import type { CreateProviderInput, UpdateProviderInput } from "@/lib/provider-config/provider-input";

export type ProviderFormResult = { kind: "create"; input: CreateProviderInput } | { kind: "update"; input: UpdateProviderInput };

function readForm(form: FormData, editing: AdminProviderDto | null): ProviderFormResult {
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const credential = text("credential") || undefined;
  const common = {
    name: text("name"),
    adapter: text("adapter") as CreateProviderInput["adapter"],
    baseUrl: text("baseUrl"),
    enabled: form.get("enabled") === "on",
  };
  if (!editing) return { kind: "create", input: { slug: text("slug"), ...common, credential } };
  return { kind: "update", input: { ...common, credential, clearCredential: form.get("clearCredential") === "on" } };
}

export function ProviderFormDialog({
  open,
  editing,
  onSubmit,
  onClose,
}: {
  open: boolean;
  editing: AdminProviderDto | null;
  onSubmit: (result: ProviderFormResult) => Promise<void>;
  onClose: () => void;
}) {
  const { fields, error, pending, close, onSubmit: submit } = useDialogForm({ read: (form) => readForm(form, editing), submit: onSubmit, onClose });

  return (
    <Modal open={open} title={editing ? `Edit ${editing.slug}` : "Add a provider"} onRequestClose={close} wide>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4" key={editing?.id ?? "new"}>
        {editing?.source === "catalog" ? (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
            This provider comes from the catalog file. Storing a credential keeps it there; changing anything else moves it to the console, and later changes to
            the file no longer apply to it.
          </p>
        ) : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField
            label="Slug"
            name="slug"
            required
            defaultValue={editing?.slug}
            disabled={Boolean(editing)}
            error={fields.slug}
            hint={editing ? "The slug cannot change." : "Lowercase letters, digits and dashes, e.g. my-vllm."}
          />
          <FormField label="Name" name="name" required defaultValue={editing?.name} error={fields.name} />
        </div>
        <AdapterSelect defaultValue={editing?.adapter ?? "openai"} error={fields.adapter} />
        <FormField
          label="Base URL"
          name="baseUrl"
          required
          type="url"
          defaultValue={editing?.baseUrl}
          error={fields.baseUrl}
          hint="OpenAI-compatible: include /v1 (https://api.example.com/v1). Anthropic: without /v1. Gemini: up to /models (https://generativelanguage.googleapis.com/v1beta)."
        />
        <CredentialFields editing={editing} error={fields.credential} />
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="enabled" defaultChecked={editing?.enabled ?? true} />
          Enabled (the gateway routes to it)
        </label>
        <FormAlert>{error ?? fields[""]}</FormAlert>
        <div className="mt-2 flex justify-end gap-2">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {editing ? "Save changes" : "Add provider"}
          </Button>
        </div>
      </form>
    </Modal>
  );
}

function AdapterSelect({ defaultValue, error }: { defaultValue: string; error: string | undefined }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor="field-adapter" className="text-sm font-medium">
        Adapter
      </label>
      <select
        id="field-adapter"
        name="adapter"
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        className="rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        <option value="openai">OpenAI-compatible (Chat Completions)</option>
        <option value="anthropic">Anthropic (Messages)</option>
        <option value="responses">OpenAI Responses</option>
        <option value="gemini">Google Gemini (generateContent)</option>
      </select>
      {error ? <p className="text-xs text-red-600 dark:text-red-400">{error}</p> : null}
    </div>
  );
}

function CredentialFields({ editing, error }: { editing: AdminProviderDto | null; error: string | undefined }) {
  const credential = editing?.credential;
  return (
    <>
      <FormField
        label="Credential"
        name="credential"
        type="password"
        autoComplete="off"
        error={error}
        hint={
          credential?.envSet
            ? `${credential.envVar} is set in the server's environment, and the environment wins: a stored credential is only used if it is unset.`
            : editing && credential?.stored
              ? `Stored: ${credential.storedHint}. Leave empty to keep it.`
              : "Stored encrypted; never shown again."
        }
      />
      {editing && credential?.stored ? (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="clearCredential" />
          Remove the stored credential
        </label>
      ) : null}
    </>
  );
}
