"use client";
/** The organization console API as TanStack Query hooks: members, invitations, limits, creating, switching and joining. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { consoleFetch } from "@/components/console/console-fetch";
import { useInvalidatingMutation } from "@/components/console/use-invalidating-mutation";
import type { MemberDto } from "@/lib/organizations/member-dto";

export type PendingInvitation = { id: string; email: string; role: "admin" | "member"; createdAt: string; expiresAt: string };
export type SentInvitation = { id: string; email: string; role: "admin" | "member"; expiresAt: string; link: string };
export type LimitsInput = { total?: string; day?: string; week?: string; month?: string };

export const organizationQueryKeys = { all: ["organization"] as const, members: () => [...organizationQueryKeys.all, "members"] as const };

export function useMembers(initial?: { data: MemberDto[]; invitations: PendingInvitation[] }) {
  return useQuery({
    queryKey: organizationQueryKeys.members(),
    queryFn: () => consoleFetch<{ data: MemberDto[]; invitations: PendingInvitation[] }>("/api/console/organization/members"),
    initialData: initial,
  });
}

export function useInvite() {
  return useInvalidatingMutation(organizationQueryKeys.all, (input: { emails: string; role: string }) =>
    consoleFetch<{ data: SentInvitation[]; alreadyMembers: string[] }>("/api/console/organization/invitations", { method: "POST", body: input }),
  );
}

export function useCancelInvitation() {
  return useInvalidatingMutation(organizationQueryKeys.all, (id: string) => consoleFetch(`/api/console/organization/invitations/${id}`, { method: "DELETE" }));
}

export function useUpdateMember() {
  return useInvalidatingMutation(organizationQueryKeys.all, ({ id, ...patch }: { id: string; role?: string; limits?: LimitsInput }) =>
    consoleFetch<{ data: MemberDto | null }>(`/api/console/organization/members/${id}`, { method: "PATCH", body: patch }),
  );
}

export function useRemoveMember() {
  return useInvalidatingMutation(organizationQueryKeys.all, (id: string) => consoleFetch(`/api/console/organization/members/${id}`, { method: "DELETE" }));
}

/** Any change of the active account: every cached console query belonged to the previous one. */
function useAccountChange<TVariables, TResult>(mutationFn: (variables: TVariables) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.clear() });
}

export function useSwitchAccount() {
  return useAccountChange((accountId: string) => consoleFetch("/api/console/account", { method: "POST", body: { accountId } }));
}

export function useCreateOrganization() {
  return useAccountChange((input: { name: string; logoUrl?: string }) =>
    consoleFetch<{ data: { id: string; name: string } }>("/api/console/organizations", { method: "POST", body: input }),
  );
}

export function useAcceptInvitation() {
  return useAccountChange((token: string) =>
    consoleFetch<{ data: { organizationId: string } }>("/api/console/invitations/accept", { method: "POST", body: { token } }),
  );
}
