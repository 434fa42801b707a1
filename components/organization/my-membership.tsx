"use client";
/** A member's own place in the organization: role, credit limits with what is left, and leaving. */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormAlert } from "@/components/ui/form-alert";
import type { MemberDto } from "@/lib/organizations/member-dto";
import { describeCredit } from "./members-manager";
import { useRemoveMember } from "./use-organization";

export function MyMembership({ member, organizationName }: { member: MemberDto; organizationName: string }) {
  const router = useRouter();
  const leave = useRemoveMember();
  const [confirming, setConfirming] = useState(false);
  return (
    <section aria-labelledby="membership" className="rounded-lg border border-zinc-200 p-6 dark:border-zinc-800">
      <h2 id="membership" className="font-semibold">
        Your membership
      </h2>
      <dl className="mt-3 grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
        <dt className="text-zinc-500">Role</dt>
        <dd>{member.role}</dd>
        <dt className="text-zinc-500">Credit limits</dt>
        <dd data-testid="my-credit">{describeCredit(member.credit)}</dd>
      </dl>
      {leave.error ? <FormAlert>{leave.error.message}</FormAlert> : null}
      <Button variant="secondary" className="mt-4" onClick={() => setConfirming(true)}>
        Leave {organizationName}
      </Button>
      <ConfirmDialog
        open={confirming}
        danger
        title={`Leave ${organizationName}?`}
        body="You lose access to its balance and activity, and the API keys you created in it stop working."
        confirmLabel="Leave organization"
        pending={leave.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={async () => {
          const left = await leave
            .mutateAsync(member.id)
            .then(() => true)
            .catch(() => false);
          setConfirming(false);
          if (left) {
            router.push("/dashboard");
            router.refresh();
          }
        }}
      />
    </section>
  );
}
