import type { Adapter, AdapterAccount, AdapterUser } from "next-auth/adapters";
import type { Db } from "../db/client";

/**
 * The storage next-auth needs for OAuth (GitHub) sign-in with JWT sessions: find or create the user and link the
 * provider account. Written here rather than taken from @auth/prisma-adapter because new OAuth users must become
 * `player`s (the column's default is `guest`), only these six methods are used with JWT sessions, and the provider's
 * token response is stored field by field (unknown fields would break the insert).
 */

const userFields = { id: true, email: true, emailVerified: true, name: true, image: true } as const;

type StoredUser = {
  id: string;
  email: string | null;
  emailVerified: Date | null;
  name: string | null;
  image: string | null;
};

// next-auth types the email as required; GitHub users with a private address may have none.
function toAdapterUser(user: StoredUser): AdapterUser {
  return { ...user, email: user.email ?? "" };
}

function orNull<T>(user: StoredUser | null, map: (u: StoredUser) => T): T | null {
  return user ? map(user) : null;
}

export function createCruxAdapter(db: Db): Adapter {
  return {
    async createUser(user) {
      const created = await db.user.create({
        data: {
          email: user.email || null,
          emailVerified: user.emailVerified,
          name: user.name ?? null,
          image: user.image ?? null,
          role: "player",
        },
        select: userFields,
      });
      return toAdapterUser(created);
    },
    async getUser(id) {
      return orNull(await db.user.findUnique({ where: { id }, select: userFields }), toAdapterUser);
    },
    async getUserByEmail(email) {
      if (!email) return null;
      return orNull(await db.user.findUnique({ where: { email }, select: userFields }), toAdapterUser);
    },
    async getUserByAccount({ provider, providerAccountId }) {
      const account = await db.account.findUnique({
        where: { provider_providerAccountId: { provider, providerAccountId } },
        select: { user: { select: userFields } },
      });
      return orNull(account?.user ?? null, toAdapterUser);
    },
    async updateUser({ id, ...data }) {
      const updated = await db.user.update({
        where: { id },
        data: {
          ...(data.name !== undefined ? { name: data.name } : {}),
          ...(data.image !== undefined ? { image: data.image } : {}),
          ...(data.emailVerified !== undefined ? { emailVerified: data.emailVerified } : {}),
        },
        select: userFields,
      });
      return toAdapterUser(updated);
    },
    async linkAccount(account: AdapterAccount) {
      await db.account.create({
        data: {
          userId: account.userId,
          type: account.type,
          provider: account.provider,
          providerAccountId: account.providerAccountId,
          refresh_token: account.refresh_token ?? null,
          access_token: account.access_token ?? null,
          expires_at: account.expires_at ?? null,
          token_type: account.token_type ?? null,
          scope: account.scope ?? null,
          id_token: account.id_token ?? null,
          session_state: typeof account.session_state === "string" ? account.session_state : null,
        },
      });
    },
  };
}
