import type { Db } from "../db/client";

/**
 * The account a command-line action is made as (`crux study create`, `crux import debates`, `crux correct`): the
 * researcher or admin with `email` when given, else the first admin, else a passwordless "cli@crux.local"
 * researcher (a fresh install used from the terminal) that future admins can see.
 */
export async function resolveCliAccount(
  db: Db,
  email: string | undefined,
): Promise<{ id: string; email: string | null }> {
  if (email) {
    const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
    if (!user || !["researcher", "admin"].includes(user.role))
      throw new Error(`no researcher or admin account with the email ${email}`);
    return { id: user.id, email: user.email };
  }
  const admin = await db.user.findFirst({ where: { role: "admin" }, orderBy: { createdAt: "asc" } });
  if (admin) return { id: admin.id, email: admin.email };
  const cli = await db.user.upsert({
    where: { email: "cli@crux.local" },
    create: { email: "cli@crux.local", name: "Created from the command line", role: "researcher" },
    update: {},
  });
  return { id: cli.id, email: cli.email };
}

/** The owner of a study made from the command line: {@link resolveCliAccount}'s id. */
export async function resolveOwner(db: Db, email: string | undefined): Promise<string> {
  return (await resolveCliAccount(db, email)).id;
}
