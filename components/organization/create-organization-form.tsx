"use client";
/** Creates an organization with the person as its admin; the console then acts on it. */
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { fieldErrorsOf } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { useCreateOrganization } from "./use-organization";

export function CreateOrganizationForm() {
  const router = useRouter();
  const create = useCreateOrganization();
  const fields = fieldErrorsOf(create.error);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const logoUrl = String(form.get("logoUrl") ?? "").trim();
    const created = await create.mutateAsync({ name: String(form.get("name") ?? ""), ...(logoUrl ? { logoUrl } : {}) }).catch(() => null);
    if (!created) return;
    router.push("/organization");
    router.refresh();
  }

  return (
    <form onSubmit={submit} noValidate className="flex max-w-lg flex-col gap-3">
      <FormField label="Organization name" name="name" maxLength={64} required error={fields.name} />
      <FormField label="Logo URL (optional)" name="logoUrl" type="url" placeholder="https://…/logo.png" error={fields.logoUrl} />
      {create.error && !fields.name && !fields.logoUrl ? <FormAlert>{create.error.message}</FormAlert> : null}
      <Button type="submit" disabled={create.isPending} className="self-start">
        Create organization
      </Button>
    </form>
  );
}
