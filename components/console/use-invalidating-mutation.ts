"use client";
/** The console's one mutation shape: call the API, then refetch every query of the resource it changed. */
import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";

/** A mutation that, once it succeeds, invalidates every query under `queryKey` (the resource's lists and details). */
export function useInvalidatingMutation<TVariables, TResult>(queryKey: QueryKey, mutationFn: (variables: TVariables) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey }) });
}
