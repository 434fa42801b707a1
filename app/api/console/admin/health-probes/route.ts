export { handleGetHealthProbes as GET, handleUpdateHealthProbes as PUT } from "@/lib/settings/http/health-probe-handlers";
export const dynamic = "force-dynamic";
