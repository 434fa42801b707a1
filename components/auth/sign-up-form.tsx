"use client";
import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { consoleFetch, ConsoleApiError } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";

export function SignUpForm({ minPasswordLength }: { minPasswordLength: number }) {
  const router = useRouter();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
    setPending(true);
    setFields({});
    setError(null);
    try {
      await consoleFetch("/api/console/signup", { method: "POST", body });
      const result = await signIn("credentials", { email: body.email, password: body.password, redirect: false });
      if (!result || result.error) throw new Error(result?.error ?? "Your account was created, but signing in failed. Try signing in.");
      router.push("/dashboard");
      router.refresh();
    } catch (caught) {
      if (caught instanceof ConsoleApiError && Object.keys(caught.fields).length > 0) setFields(caught.fields);
      else setError((caught as Error).message);
      setPending(false);
    }
  }

  return (
    <div className="flex flex-col gap-6">
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        <FormField label="Name" name="name" autoComplete="name" hint="Optional" error={fields.name} />
        <FormField label="Email" name="email" type="email" autoComplete="email" required error={fields.email} />
        <FormField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={minPasswordLength}
          hint={`At least ${minPasswordLength} characters`}
          error={fields.password}
        />
        <FormAlert>{error}</FormAlert>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating account…" : "Create account"}
        </Button>
      </form>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Already have an account?{" "}
        <Link href="/login" className="font-medium text-teal-700 hover:underline dark:text-teal-400">
          Sign in
        </Link>
      </p>
    </div>
  );
}
