#!/bin/sh
# Stand-in for Prisma's native schema engine, which Prisma downloads from its own
# servers at first use. Switchyard does not need it: migrations are plain SQL files
# (prisma/migrations/*) applied by lib/db/migrate.ts, and `prisma generate` only needs
# the engine's path to exist.
echo "Switchyard applies its own SQL migrations; the Prisma schema engine is not used." >&2
exit 1
