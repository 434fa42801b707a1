export { handleUsageOptions as GET } from "@/lib/activity/http/usage-handlers";
export const dynamic = "force-dynamic";
