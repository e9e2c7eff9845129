import type { Prisma } from "./generated/client";

/**
 * Domain records (turns, quotes, configs) are plain JSON data, but TypeScript interfaces lack the index signature
 * Prisma's Json input type asks for. This is the one place that bridges the two.
 */
export function asJson<T extends object | string | number | boolean>(value: T): Prisma.InputJsonValue {
  return value as unknown as Prisma.InputJsonValue;
}
