export { handleActivityDetail as GET } from "@/lib/activity/http/activity-handlers";
export const dynamic = "force-dynamic";
