/** Recognising database errors by what they mean, whichever database raised them (through Prisma). */

/** A unique constraint refused the write (Prisma's P2002), e.g. two creates of one slug racing. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}
