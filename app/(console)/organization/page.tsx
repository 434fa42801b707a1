import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { CreateOrganizationForm } from "@/components/organization/create-organization-form";
import { MembersManager } from "@/components/organization/members-manager";
import { MyMembership } from "@/components/organization/my-membership";
import { OrganizationAudit } from "@/components/organization/organization-audit";
import { OrganizationSettings } from "@/components/organization/organization-settings";
import { requirePageAccount } from "@/lib/auth/session";
import { toMemberDto } from "@/lib/organizations/member-dto";
import { pageReads } from "@/lib/server/page-reads";

export const metadata: Metadata = { title: "Organization" };

/** In a personal account: create an organization. In one: its members (admins) or your membership (members). */
export default async function OrganizationPage() {
  const { user, account } = await requirePageAccount();
  if (account.kind === "personal") {
    const organizations = await pageReads.organizationsOf(user.id);
    return (
      <>
        <PageHeader
          title="Organizations"
          description="An organization has its own balance, API keys, activity and usage, shared by its members within the limits its admins set. Switch to one in the account menu."
        />
        {organizations.length > 0 ? <p className="mb-6 text-sm">You belong to {organizations.map((o) => `${o.name} (${o.role})`).join(", ")}.</p> : null}
        <section aria-labelledby="create" className="rounded-lg border border-zinc-200 p-6 dark:border-zinc-800">
          <h2 id="create" className="mb-3 font-semibold">
            Create an organization
          </h2>
          <CreateOrganizationForm />
        </section>
      </>
    );
  }
  const members = (await pageReads.members(account.id)).map(toMemberDto);
  if (account.role !== "admin") {
    const me = members.find((m) => m.id === account.membershipId);
    return (
      <>
        <PageHeader title={account.name} description="You are a member: you call the API with your own keys, paid from the organization's balance." />
        {me ? <MyMembership member={me} organizationName={account.name} /> : null}
      </>
    );
  }
  const logoUrl = (await pageReads.organizationsOf(user.id)).find((o) => o.id === account.id)?.logoUrl ?? null;
  const invitations = (await pageReads.pendingInvitations(account.id)).map((i) => ({
    id: i.id,
    email: i.email,
    role: (i.role === "admin" ? "admin" : "member") as "admin" | "member",
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
  }));
  return (
    <>
      {logoUrl ? (
        // eslint-disable-next-line @next/next/no-img-element -- an admin's logo URL on another host: no optimiser to route it through
        <img src={logoUrl} alt="" width={40} height={40} referrerPolicy="no-referrer" className="mb-3 size-10 rounded-md object-cover" />
      ) : null}
      <PageHeader title={account.name} description="Members, their roles and credit limits. Admins see every member's keys, calls and costs." />
      <MembersManager initial={{ data: members, invitations }} />
      <section aria-labelledby="audit" className="mt-10">
        <h2 id="audit" className="mb-3 text-lg font-semibold">
          Audit trail
        </h2>
        <OrganizationAudit events={(await pageReads.organizationAudit(account.id)).data} />
      </section>
      <OrganizationSettings name={account.name} logoUrl={logoUrl} />
    </>
  );
}
