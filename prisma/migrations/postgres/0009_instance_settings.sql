-- Instance-wide settings changed by admins (lib/settings), first: health probes.
CREATE TABLE "InstanceSetting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedBy" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "InstanceSetting_pkey" PRIMARY KEY ("key")
);
