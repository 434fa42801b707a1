-- What a key is for: NULL for the keys people create; "playground" for the short-lived
-- keys the console's playground mints for itself (hidden from the Keys page, cleaned up
-- once expired; activity keeps their name).
ALTER TABLE "ApiKey" ADD COLUMN "purpose" TEXT;
