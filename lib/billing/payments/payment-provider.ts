/**
 * The seam for card payments (Stripe Checkout first). Not wired: this machine has no
 * network, and an operator must bring their own account. A provider creates a hosted
 * checkout and turns its signed webhooks into PaymentEvents; applyPaymentEvent credits
 * the ledger once per provider payment id, so replayed webhooks are harmless.
 *
 * Wiring Stripe (docs/architecture.md, "Payments"): implement PaymentProvider with the
 * `stripe` package — createCheckout → stripe.checkout.sessions.create({ mode: "payment",
 * client_reference_id: userId, line_items: [{ price_data: { currency: "usd",
 * unit_amount: cents } }] }); parseWebhook → stripe.webhooks.constructEvent(rawBody,
 * signature, STRIPE_WEBHOOK_SECRET) and map `checkout.session.completed` — then add a
 * POST route that passes the raw body to parseWebhook and the event to applyPaymentEvent.
 */
import type { Db } from "../../db/client.ts";
import { credit } from "../ledger.ts";

export type PaymentEvent = { type: "payment_succeeded"; provider: string; paymentId: string; userId: string; amountNanoUsd: bigint };

export interface PaymentProvider {
  readonly name: string;
  createCheckout(input: { userId: string; amountNanoUsd: bigint; successUrl: string; cancelUrl: string }): Promise<{ checkoutUrl: string; paymentId: string }>;
  /** The verified event in a webhook, or null for events that move no money; throws on a bad signature. */
  parseWebhook(rawBody: string, headers: Headers): Promise<PaymentEvent | null>;
}

export async function applyPaymentEvent(db: Db, event: PaymentEvent): Promise<{ credited: boolean }> {
  if (event.type !== "payment_succeeded" || event.amountNanoUsd <= 0n) return { credited: false };
  const { applied } = await credit(db, {
    userId: event.userId,
    kind: "top_up",
    amountNanoUsd: event.amountNanoUsd,
    idempotencyKey: `payment:${event.provider}:${event.paymentId}`,
    reason: `Payment ${event.paymentId} (${event.provider})`,
  });
  return { credited: applied };
}
