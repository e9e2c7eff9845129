import type { Db } from "../db/client";

/**
 * The owner of a study made from the command line (`crux study create`, `crux import debates`): the researcher or
 * admin with `email` when given, else the first admin, else a passwordless "cli@crux.local" researcher (a fresh
 * install used from the terminal) that future admins can see.
 */
export async function resolveOwner(db: Db, email: string | undefined): Promise<string> {
  if (email) {
    const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
    if (!user || !["researcher", "admin"].includes(user.role))
      throw new Error(`no researcher or admin account with the email ${email}`);
    return user.id;
  }
  const admin = await db.user.findFirst({ where: { role: "admin" }, orderBy: { createdAt: "asc" } });
  if (admin) return admin.id;
  const cli = await db.user.upsert({
    where: { email: "cli@crux.local" },
    create: { email: "cli@crux.local", name: "Created from the command line", role: "researcher" },
    update: {},
  });
  return cli.id;
}
