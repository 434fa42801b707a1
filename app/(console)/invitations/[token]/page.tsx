import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { AcceptInvitation } from "@/components/organization/accept-invitation";
import { requirePageUser } from "@/lib/auth/session";
import { pageReads } from "@/lib/server/page-reads";

export const metadata: Metadata = { title: "Invitation" };

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const user = await requirePageUser();
  const { token } = await params;
  const invitation = await pageReads.invitation(token);
  if (!invitation) {
    return <PageHeader title="Invitation not found" description="This invitation link is not valid. Ask an organization admin for a new one." />;
  }
  const problem =
    invitation.problem ?? (invitation.email !== user.email ? `This invitation is for ${invitation.email}; sign in with that email to accept it.` : null);
  return (
    <>
      <PageHeader title={`Join ${invitation.organizationName}`} description={`You are invited as ${invitation.role === "admin" ? "an admin" : "a member"}.`} />
      <div className="max-w-xl rounded-lg border border-zinc-200 p-6 text-sm dark:border-zinc-800">
        <p>
          Members call the API with their own organization keys, paid from the organization&apos;s balance within the limits its admins set. You stay signed in
          as {user.email}; switch between your accounts in the menu.
        </p>
        {problem ? (
          <p role="alert" className="mt-4 rounded-md bg-amber-50 px-3 py-2 text-amber-900 dark:bg-amber-950 dark:text-amber-200">
            {problem}
          </p>
        ) : (
          <AcceptInvitation token={token} organizationName={invitation.organizationName} />
        )}
      </div>
    </>
  );
}
