"use client";
/** Create a key, or edit an existing key's name and limits. Errors appear next to their fields. */
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { Modal } from "@/components/ui/modal";
import { useDialogForm } from "@/components/ui/use-dialog-form";
import type { ApiKeyDto } from "@/lib/keys/api-key-dto";
import type { ApiKeyFormInput } from "@/lib/keys/api-key-input";

function toDateInput(iso: string | null): string {
  if (!iso) return "";
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The form's strings as the API's JSON: empty means "no limit". */
function readForm(form: FormData): ApiKeyFormInput {
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const models = text("allowedModels")
    .split(/[\s,]+/)
    .filter(Boolean);
  const expires = text("expiresAt");
  return {
    name: text("name"),
    allowedModels: models.length ? models : null,
    spendLimitTotalUsd: text("spendLimitTotalUsd") || null,
    spendLimitDayUsd: text("spendLimitDayUsd") || null,
    spendLimitMonthUsd: text("spendLimitMonthUsd") || null,
    rpmLimit: text("rpmLimit") || null,
    tpmLimit: text("tpmLimit") || null,
    // A date means "expires at the start of that day", in the browser's time zone.
    expiresAt: expires ? new Date(`${expires}T00:00:00`).toISOString() : null,
  };
}

export function ApiKeyFormDialog({
  open,
  editing,
  onSubmit,
  onClose,
}: {
  open: boolean;
  editing: ApiKeyDto | null;
  onSubmit: (input: ApiKeyFormInput) => Promise<void>;
  onClose: () => void;
}) {
  const { fields, error, pending, close, onSubmit: submit } = useDialogForm({ read: readForm, submit: onSubmit, onClose });

  const value = editing;
  return (
    <Modal open={open} title={editing ? `Edit “${editing.name}”` : "Create an API key"} onRequestClose={close} wide>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <FormField
          label="Name"
          name="name"
          required
          defaultValue={value?.name}
          error={fields.name}
          hint="For you: where the key is used, e.g. “staging backend”."
        />
        <FormField
          label="Allowed models"
          name="allowedModels"
          defaultValue={value?.allowedModels?.join(", ")}
          error={fields.allowedModels}
          hint="Comma-separated model slugs, e.g. openai/gpt-4o-mini. Empty: every model."
        />
        <fieldset className="grid gap-4 sm:grid-cols-3">
          <legend className="mb-2 text-sm font-medium">Spend limits (USD; empty for none)</legend>
          <FormField
            label="Total spend limit"
            name="spendLimitTotalUsd"
            inputMode="decimal"
            defaultValue={value?.spendLimitTotalUsd ?? ""}
            error={fields.spendLimitTotalUsd}
          />
          <FormField
            label="Daily spend limit"
            name="spendLimitDayUsd"
            inputMode="decimal"
            defaultValue={value?.spendLimitDayUsd ?? ""}
            error={fields.spendLimitDayUsd}
          />
          <FormField
            label="Monthly spend limit"
            name="spendLimitMonthUsd"
            inputMode="decimal"
            defaultValue={value?.spendLimitMonthUsd ?? ""}
            error={fields.spendLimitMonthUsd}
          />
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-3">
          <FormField label="Requests per minute" name="rpmLimit" inputMode="numeric" defaultValue={value?.rpmLimit ?? ""} error={fields.rpmLimit} />
          <FormField label="Tokens per minute" name="tpmLimit" inputMode="numeric" defaultValue={value?.tpmLimit ?? ""} error={fields.tpmLimit} />
          <FormField label="Expires on" name="expiresAt" type="date" defaultValue={toDateInput(value?.expiresAt ?? null)} error={fields.expiresAt} />
        </div>
        <FormAlert>{error ?? fields[""]}</FormAlert>
        <div className="mt-2 flex justify-end gap-2">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {editing ? "Save changes" : "Create key"}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
