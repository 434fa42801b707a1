export { handleListTransactions as GET } from "@/lib/billing/http/billing-handlers";
export const dynamic = "force-dynamic";
