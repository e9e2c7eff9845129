import type { AdapterAccount } from "next-auth/adapters";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDatabase } from "../../tests/support/temp-db";
import type { Db } from "../db/client";
import { createCruxAdapter } from "./adapter";

const temp = tempDatabase("adapter");
let db: Db;
beforeAll(() => {
  db = temp.db();
});

describe("the OAuth adapter (GitHub sign-in)", () => {
  it("creates players, links provider accounts field by field, and finds users by account and email", async () => {
    const adapter = createCruxAdapter(db);
    const created = await adapter.createUser?.({
      id: "ignored",
      email: "octo@example.test",
      emailVerified: null,
      name: "Octo",
      image: "https://example.test/octo.png",
    });
    expect(created).toMatchObject({ email: "octo@example.test", name: "Octo" });
    const stored = await db.user.findUniqueOrThrow({ where: { email: "octo@example.test" } });
    expect(stored.role).toBe("player");
    expect(stored.id).not.toBe("ignored");

    // GitHub's token response may carry fields the table does not have; they are left out, not inserted.
    const account = {
      userId: stored.id,
      type: "oauth",
      provider: "github",
      providerAccountId: "12345",
      access_token: "gho_x",
      token_type: "bearer",
      scope: "read:user,user:email",
      refresh_token_expires_in: 15_897_600,
    } as AdapterAccount;
    await adapter.linkAccount?.(account);
    expect((await adapter.getUserByAccount?.({ provider: "github", providerAccountId: "12345" }))?.id).toBe(stored.id);
    expect(await adapter.getUserByAccount?.({ provider: "github", providerAccountId: "999" })).toBeNull();
    expect((await adapter.getUserByEmail?.("octo@example.test"))?.id).toBe(stored.id);
    expect((await adapter.getUser?.(stored.id))?.email).toBe("octo@example.test");
    expect(await adapter.getUser?.("missing")).toBeNull();

    const updated = await adapter.updateUser?.({ id: stored.id, name: "Octocat" });
    expect(updated?.name).toBe("Octocat");
  });

  it("keeps users without a public email (GitHub may not share one)", async () => {
    const adapter = createCruxAdapter(db);
    const created = await adapter.createUser?.({ id: "x", email: "", emailVerified: null, name: "Private" });
    expect(created?.email).toBe("");
    expect((await db.user.findUniqueOrThrow({ where: { id: created?.id ?? "" } })).email).toBeNull();
  });
});
