import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { CruxError } from "../errors";
import type { SignInInput, SignUpInput } from "./credentials";
import { getUserBySessionToken } from "./guest";
import { hashPassword, verifyPassword } from "./password";
import type { SessionUser } from "./roles";

/**
 * Email-and-password accounts: sign-up and sign-in, called from next-auth's Credentials providers
 * (lib/auth/config.ts). A guest who signs up keeps their User row (id, matches, everything) and becomes a player; a
 * guest who signs in to an existing account hands their matches to it. Either way the guest's database sessions
 * end, so signing out later leaves nobody signed in.
 */

const userFields = { id: true, role: true, name: true, email: true } as const;

const EMAIL_TAKEN = "An account with this email already exists: sign in instead.";

/**
 * Creates a player account, or upgrades the guest behind `guestToken` in place. Throws CONFLICT when the email is
 * taken (sign-up cannot avoid saying so; sign-in never does).
 */
export async function signUpWithPassword(
  db: Db,
  input: Omit<SignUpInput, "name"> & { name?: string; guestToken?: string },
): Promise<SessionUser> {
  if (await db.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
    throw new CruxError("CONFLICT", EMAIL_TAKEN);
  }
  const passwordHash = await hashPassword(input.password);
  const guest = await getUserBySessionToken(db, input.guestToken);
  try {
    if (guest?.role === "guest") {
      const [user] = await db.$transaction([
        db.user.update({
          // The role condition makes a concurrent second sign-up from the same guest fail instead of overwriting.
          where: { id: guest.id, role: "guest" },
          data: { email: input.email, passwordHash, name: input.name ?? guest.name, role: "player" },
          select: userFields,
        }),
        db.session.deleteMany({ where: { userId: guest.id } }),
      ]);
      return user;
    }
    return await db.user.create({
      data: { email: input.email, passwordHash, name: input.name ?? null, role: "player" },
      select: userFields,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new CruxError("CONFLICT", EMAIL_TAKEN);
    throw error;
  }
}

/**
 * The account for an email and password, or null. Unknown emails cost the same time as wrong passwords and get
 * the same answer. On success, a guest behind `guestToken` hands over their matches and is removed.
 */
export async function signInWithPassword(
  db: Db,
  input: SignInInput & { guestToken?: string },
): Promise<SessionUser | null> {
  const found = await db.user.findUnique({
    where: { email: input.email },
    select: { ...userFields, passwordHash: true },
  });
  const valid = await verifyPassword(input.password, found?.passwordHash);
  if (!found || !valid || found.role === "guest") return null;
  const { passwordHash: _, ...user } = found;
  await adoptGuest(db, input.guestToken, user.id);
  return user;
}

/** Moves a guest's matches to `userId` and deletes the guest (with its sessions). No guest, nothing happens. */
export async function adoptGuest(db: Db, guestToken: string | undefined, userId: string): Promise<number> {
  const guest = await getUserBySessionToken(db, guestToken);
  if (guest?.role !== "guest" || guest.id === userId) return 0;
  const [moved] = await db.$transaction([
    db.match.updateMany({ where: { judgeId: guest.id }, data: { judgeId: userId } }),
    db.user.deleteMany({ where: { id: guest.id, role: "guest" } }),
  ]);
  return moved.count;
}
