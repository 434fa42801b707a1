"use client";
/** Joins the organization of an invitation link, then acts on it. */
import { useRouter } from "next/navigation";
import { fieldErrorsOf } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { useAcceptInvitation } from "./use-organization";

export function AcceptInvitation({ token, organizationName }: { token: string; organizationName: string }) {
  const router = useRouter();
  const accept = useAcceptInvitation();
  return (
    <>
      {accept.error ? <FormAlert>{fieldErrorsOf(accept.error).token ?? accept.error.message}</FormAlert> : null}
      <Button
        className="mt-4"
        disabled={accept.isPending}
        onClick={async () => {
          if (!(await accept.mutateAsync(token).catch(() => null))) return;
          router.push("/organization");
          router.refresh();
        }}
      >
        Join {organizationName}
      </Button>
    </>
  );
}
