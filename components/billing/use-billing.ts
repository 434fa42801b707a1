"use client";
/** TanStack Query hooks for billing (the only client code that calls the billing APIs). */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { consoleFetch } from "@/components/console/console-fetch";
import { useInvalidatingMutation } from "@/components/console/use-invalidating-mutation";
import type { TransactionDto } from "@/lib/billing/transactions";

export const billingQueryKeys = {
  all: ["billing"] as const,
  transactions: () => [...billingQueryKeys.all, "transactions"] as const,
  codes: () => [...billingQueryKeys.all, "codes"] as const,
};

type Page = { data: TransactionDto[]; nextCursor: string | null };
export type CodeDto = { code: string; valueUsd: string; expiresAt: string | null; redeemedAt: string | null; createdAt: string };

export function useTransactions(firstPage: Page) {
  return useInfiniteQuery({
    queryKey: billingQueryKeys.transactions(),
    queryFn: ({ pageParam }) => consoleFetch<Page>(`/api/console/billing/transactions${pageParam ? `?cursor=${encodeURIComponent(pageParam)}` : ""}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: { pages: [firstPage], pageParams: [null] },
  });
}

export const useRedeemCode = () =>
  useInvalidatingMutation(billingQueryKeys.all, (code: string) =>
    consoleFetch<{ creditedUsd: string }>("/api/console/billing/redeem", { method: "POST", body: { code } }),
  );
export const useGrantCredits = () =>
  useInvalidatingMutation(billingQueryKeys.all, (input: { email: string; usd: string; reason: string }) =>
    consoleFetch("/api/console/admin/credits", { method: "POST", body: input }),
  );
export const useCreateCodes = () =>
  useInvalidatingMutation(billingQueryKeys.all, (input: { valueUsd: string; count: string; expiresAt: string | null }) =>
    consoleFetch<{ codes: string[] }>("/api/console/admin/codes", { method: "POST", body: input }),
  );
export const useRecentCodes = () =>
  useQuery({ queryKey: billingQueryKeys.codes(), queryFn: async () => (await consoleFetch<{ data: CodeDto[] }>("/api/console/admin/codes")).data });
