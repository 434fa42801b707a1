"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ConsoleApiError } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { useRedeemCode } from "./use-billing";

export function RedeemForm() {
  const router = useRouter();
  const redeem = useRedeemCode();
  const [message, setMessage] = useState<string | null>(null);
  const error = redeem.error instanceof ConsoleApiError ? (redeem.error.fields.code ?? redeem.error.message) : redeem.error?.message;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setMessage(null);
    const result = await redeem.mutateAsync(String(new FormData(form).get("code") ?? "")).catch(() => null);
    if (!result) return;
    setMessage(`$${result.creditedUsd} added to your balance.`);
    form.reset();
    router.refresh();
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-3 sm:flex-row sm:items-start">
      <div className="flex-1">
        <FormField label="Redemption code" name="code" placeholder="SY-XXXX-XXXX-XXXX" autoComplete="off" error={error} />
      </div>
      <Button type="submit" disabled={redeem.isPending} className="sm:mt-6">
        Redeem
      </Button>
      {message ? (
        <p role="status" className="text-sm text-teal-700 sm:mt-8 dark:text-teal-400">
          {message}
        </p>
      ) : null}
    </form>
  );
}
