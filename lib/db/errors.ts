/** Prisma's error for a unique constraint the write would break (P2002), from any query or transaction. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "P2002";
}
