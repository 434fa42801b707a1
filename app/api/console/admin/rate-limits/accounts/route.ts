export { handleSetAccountRateLimit as PUT } from "@/lib/settings/http/rate-limit-handlers";
export const dynamic = "force-dynamic";
