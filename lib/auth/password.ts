import { createHash } from "node:crypto";
import bcrypt from "bcryptjs";

/**
 * Password hashing: bcrypt (bcryptjs, pure JavaScript, cost 12) of the password's SHA-256. bcrypt reads only the
 * first 72 bytes of its input, and passwords may be up to 200 characters; hashing first makes every character
 * count (the "bcrypt-sha256" construction). The async bcryptjs calls yield to the event loop while they work.
 */
export const BCRYPT_COST = 12;

function prehash(password: string): string {
  // base64 of the digest: 44 ASCII characters, no NUL bytes (which bcrypt would treat as the end of input).
  return createHash("sha256").update(password, "utf8").digest("base64");
}

export async function hashPassword(password: string, cost: number = BCRYPT_COST): Promise<string> {
  return bcrypt.hash(prehash(password), cost);
}

// Compared against when the email is unknown, so "no such account" takes as long as "wrong password". A cost-12
// hash of a random string nobody knows.
const DUMMY_HASH = "$2b$12$znRBgw0so9oMZLZNwNAo4OwSQ7rbcPYE.HVotP7/loHheWnMexbcC";

/** True when `password` matches `hash`; with no hash, spends the same time and returns false. */
export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  if (!hash) {
    await bcrypt.compare(prehash(password), DUMMY_HASH);
    return false;
  }
  return bcrypt.compare(prehash(password), hash);
}
