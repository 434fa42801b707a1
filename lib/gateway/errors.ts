/**
 * Protocol-neutral gateway errors. Each protocol module maps them to its own wire
 * format in one place (protocols/openai-chat/errors.ts for ZenMux/OpenAI style).
 * Types follow reference/zenmux-docs/guide/advanced/error-codes.md.
 */
export type GatewayErrorType =
  | "invalid_params"
  | "invalid_api_key"
  | "reject_no_credit"
  | "spend_limit_total_exceeded"
  | "spend_limit_daily_exceeded"
  | "spend_limit_monthly_exceeded"
  | "member_limit_total_exceeded"
  | "member_limit_daily_exceeded"
  | "member_limit_weekly_exceeded"
  | "member_limit_monthly_exceeded"
  | "access_denied"
  | "invalid_model"
  | "model_not_supported"
  | "not_found"
  | "method_not_allowed"
  | "rate_limit"
  | "no_provider_available"
  | "service_unavailable"
  | "provider_error"
  | "provider_timeout"
  | "provider_unprocessable_entity_error"
  | "idempotency_key_reused"
  | "idempotency_request_in_progress"
  | "idempotency_answer_not_stored"
  | "internal_server_error";

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly type: GatewayErrorType,
    message: string,
    /** extra detail for the generation record; never shown to clients unless set in `message` */
    readonly param?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "GatewayError";
  }

  /** Whether a client retry could succeed; the SDKs honour `x-should-retry`. */
  get retryable(): boolean {
    return this.status === 408 || this.status === 429 || this.status >= 500 || this.type === "idempotency_request_in_progress";
  }
}

export const invalidParams = (message: string, param?: string) => new GatewayError(400, "invalid_params", message, param);
