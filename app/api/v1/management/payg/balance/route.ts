export { handleBalance as GET } from "@/lib/billing/http/balance-handler";
export const dynamic = "force-dynamic";
