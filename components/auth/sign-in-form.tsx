"use client";
import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  OAuthNoEmail: "Your account with that provider has no email address we can use.",
  Suspended: "This account is suspended. Contact your administrator.",
  AccessDenied: "Sign-in was refused.",
};

/** Only same-site paths are followed after sign-in. */
function safeCallback(raw: string | null): string {
  return raw && raw.startsWith("/") && !raw.startsWith("//") ? raw : "/dashboard";
}

export function SignInForm({ oauth }: { oauth: { github: boolean; google: boolean } }) {
  const router = useRouter();
  const params = useSearchParams();
  const initialError = params.get("error");
  const [error, setError] = useState<string | null>(initialError ? (MESSAGES[initialError] ?? initialError) : null);
  const [pending, setPending] = useState(false);
  const callbackUrl = safeCallback(params.get("callbackUrl"));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", { email: form.get("email"), password: form.get("password"), redirect: false });
    setPending(false);
    if (!result || result.error) {
      setError(MESSAGES[result?.error ?? ""] ?? result?.error ?? "Sign-in failed. Try again.");
      return;
    }
    router.push(callbackUrl);
    router.refresh();
  }

  return (
    <div className="flex flex-col gap-6">
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        <FormField label="Email" name="email" type="email" autoComplete="email" required />
        <FormField label="Password" name="password" type="password" autoComplete="current-password" required />
        <FormAlert>{error}</FormAlert>
        <Button type="submit" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {oauth.github || oauth.google ? (
        <div className="flex flex-col gap-2">
          {oauth.github ? (
            <Button variant="secondary" onClick={() => signIn("github", { callbackUrl })}>
              Continue with GitHub
            </Button>
          ) : null}
          {oauth.google ? (
            <Button variant="secondary" onClick={() => signIn("google", { callbackUrl })}>
              Continue with Google
            </Button>
          ) : null}
        </div>
      ) : null}
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        No account yet?{" "}
        <Link href="/signup" className="font-medium text-teal-700 hover:underline dark:text-teal-400">
          Create one
        </Link>
      </p>
    </div>
  );
}
