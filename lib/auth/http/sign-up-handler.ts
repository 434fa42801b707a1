import "server-only";
/** POST /api/console/signup: creates an account (the first one is the admin). */
import { getDb } from "../../db/client.ts";
import { apiErrorResponse, errorToResponse, readJsonBody } from "../../http/api-error.ts";
import { clientIp } from "../../http/client-ip.ts";
import { isSameOriginRequest } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { countSignInAttempt } from "../sign-in-throttle.ts";
import { createUser, type SignUpInput } from "../user-service.ts";

export async function handleSignUp(request: Request): Promise<Response> {
  try {
    if (!isSameOriginRequest(request)) return apiErrorResponse(403, "access_denied", "Cross-site request refused");
    const body = (await readJsonBody(request)) as SignUpInput;
    countSignInAttempt(typeof body?.email === "string" ? body.email : null, clientIp(request.headers));
    const user = await createUser(getDb(), body);
    return jsonResponse({ user: { id: user.id, email: user.email, role: user.role } }, { status: 201 });
  } catch (error) {
    return errorToResponse(error);
  }
}
