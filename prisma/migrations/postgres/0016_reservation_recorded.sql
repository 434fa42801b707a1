-- A settlement stores its generation record on the reservation it closes; the activity
-- writer (or crash recovery) marks it recorded once the Generation row is written, so a
-- charge whose record was still queued when its process died is written on recovery
-- (lib/billing/unrecorded-settlements.ts).
ALTER TABLE "Reservation" ADD COLUMN "recordedAt" TIMESTAMP(3);
CREATE INDEX "Reservation_recordedAt_settledAt_idx" ON "Reservation"("recordedAt", "settledAt");
-- Settlements before this migration stored no record: they count as recorded.
UPDATE "Reservation" SET "recordedAt" = "settledAt" WHERE "settledAt" IS NOT NULL;
