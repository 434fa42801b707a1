"use client";
/** TanStack Query hooks for the admin's rate-limit settings (the only client code that calls that API). */
import { useQuery } from "@tanstack/react-query";
import { consoleFetch } from "@/components/console/console-fetch";
import { useInvalidatingMutation } from "@/components/console/use-invalidating-mutation";
import type { RateLimitSettings } from "@/lib/gateway/rate-limit/rate-limit-rules";
import type { AccountRateLimit } from "@/lib/settings/account-rate-limits";

export type RateLimitsView = { settings: RateLimitSettings; accounts: AccountRateLimit[] };
/** What the forms send: limits as the text of their fields ("" for none). */
type LimitText = number | string | null;
export type RateLimitSettingsForm = {
  account: { rpm: LimitText; tpm: LimitText };
  families: { name: string; patterns: string[]; rpm: LimitText; tpm: LimitText }[];
};
export type AccountRateLimitForm = { email: string; rpm: LimitText; tpm: LimitText };

const URL = "/api/console/admin/rate-limits";

export const rateLimitQueryKeys = {
  all: ["admin", "rate-limits"] as const,
};

export function useRateLimits(initialData: RateLimitsView) {
  return useQuery({ queryKey: rateLimitQueryKeys.all, queryFn: async () => (await consoleFetch<{ data: RateLimitsView }>(URL)).data, initialData });
}

export function useSaveRateLimitSettings() {
  return useInvalidatingMutation(rateLimitQueryKeys.all, (settings: RateLimitSettingsForm) =>
    consoleFetch<{ data: RateLimitSettings }>(URL, { method: "PUT", body: settings }),
  );
}

export function useSetAccountRateLimit() {
  return useInvalidatingMutation(rateLimitQueryKeys.all, (input: AccountRateLimitForm) =>
    consoleFetch<{ data: AccountRateLimit }>(`${URL}/accounts`, { method: "PUT", body: input }),
  );
}
