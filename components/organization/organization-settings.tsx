"use client";
/** An admin renames the organization, sets its logo, or deletes it (typing DELETE). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { consoleFetch, fieldErrorsOf } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";

function RenameForm({ name, logoUrl }: { name: string; logoUrl: string | null }) {
  const router = useRouter();
  const update = useMutation({
    mutationFn: (input: { name: string; logoUrl?: string }) => consoleFetch("/api/console/organization", { method: "PATCH", body: input }),
  });
  const fields = fieldErrorsOf(update.error);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const logo = String(data.get("logoUrl") ?? "").trim();
    if (await update.mutateAsync({ name: String(data.get("name") ?? ""), ...(logo ? { logoUrl: logo } : {}) }).catch(() => null)) router.refresh();
  }
  return (
    <form onSubmit={submit} noValidate className="flex max-w-lg flex-col gap-3">
      <FormField label="Name" name="name" maxLength={64} defaultValue={name} error={fields.name} />
      <FormField label="Logo URL" name="logoUrl" type="url" defaultValue={logoUrl ?? ""} placeholder="https://…/logo.png" error={fields.logoUrl} />
      <Button type="submit" disabled={update.isPending} className="self-start">
        Save
      </Button>
    </form>
  );
}

function DeleteForm({ name }: { name: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState("");
  const remove = useMutation({
    mutationFn: () => consoleFetch("/api/console/organization", { method: "DELETE", body: { confirm: typed } }),
    onSuccess: () => queryClient.clear(),
  });
  const fields = fieldErrorsOf(remove.error);
  return (
    <div className="flex max-w-lg flex-col gap-3">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Deleting {name} removes every member, stops every API key and forfeits its balance. Its history stays for the instance&apos;s admins. This cannot be
        undone.
      </p>
      <FormField
        label="Type DELETE to confirm"
        name="confirm"
        value={typed}
        onChange={(event) => setTyped(event.target.value)}
        autoComplete="off"
        error={fields.confirm}
      />
      {remove.error && !fields.confirm ? <FormAlert>{remove.error.message}</FormAlert> : null}
      <Button
        variant="danger"
        className="self-start"
        disabled={typed !== "DELETE" || remove.isPending}
        onClick={async () => {
          const deleted = await remove.mutateAsync().then(
            () => true,
            () => false,
          );
          if (!deleted) return;
          router.push("/dashboard");
          router.refresh();
        }}
      >
        Delete organization
      </Button>
    </div>
  );
}

export function OrganizationSettings({ name, logoUrl }: { name: string; logoUrl: string | null }) {
  return (
    <>
      <section aria-labelledby="org-settings" className="mt-10">
        <h2 id="org-settings" className="mb-3 text-lg font-semibold">
          Organization settings
        </h2>
        <RenameForm name={name} logoUrl={logoUrl} />
      </section>
      <section aria-labelledby="danger" className="mt-10 rounded-lg border border-red-200 p-6 dark:border-red-900">
        <h2 id="danger" className="mb-3 text-lg font-semibold">
          Delete the organization
        </h2>
        <DeleteForm name={name} />
      </section>
    </>
  );
}
