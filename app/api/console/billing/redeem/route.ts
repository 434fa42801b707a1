export { handleRedeem as POST } from "@/lib/billing/http/billing-handlers";
export const dynamic = "force-dynamic";
