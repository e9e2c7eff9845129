import { beforeAll, describe, expect, it } from "vitest";
import { tempDatabase } from "../../tests/support/temp-db";
import type { Db } from "../db/client";
import { ACCOUNT_COOKIE, mintAccountToken, SECURE_ACCOUNT_COOKIE } from "./account-token";
import { signInWithPassword, signUpWithPassword } from "./accounts";
import { createGuestSession, SESSION_COOKIE } from "./guest";
import { resolveUser } from "./resolve-user";
import { changeUserRole, createOrPromoteAdmin, revokeUserSessions } from "./users";

const SECRET = "unit-test-secret-that-is-long-enough-to-use";
const PASSWORD = "a perfectly fine password";
const temp = tempDatabase("accounts");
let db: Db;
beforeAll(() => {
  db = temp.db();
});

/** Cookies for an account session minted as next-auth would. */
async function accountCookies(sub: string, options: { secure?: boolean; signedInAt?: number } = {}) {
  const { name, value } = await mintAccountToken({ sub, signedInAt: options.signedInAt }, SECRET, options);
  return { [name]: value };
}

describe("resolveUser: the one notion of the current user", () => {
  it("reads account sessions (plain, __Secure- and chunked cookies) and rejects forged or foreign ones", async () => {
    const user = await db.user.create({ data: { email: "reader@example.test", role: "player" } });
    expect(await resolveUser(db, await accountCookies(user.id), { secret: SECRET })).toMatchObject({
      id: user.id,
      role: "player",
      email: "reader@example.test",
    });
    expect((await resolveUser(db, await accountCookies(user.id, { secure: true }), { secret: SECRET }))?.id).toBe(
      user.id,
    );
    const whole = (await accountCookies(user.id))[ACCOUNT_COOKIE] ?? "";
    const chunked = { [`${ACCOUNT_COOKIE}.0`]: whole.slice(0, 100), [`${ACCOUNT_COOKIE}.1`]: whole.slice(100) };
    expect((await resolveUser(db, chunked, { secret: SECRET }))?.id).toBe(user.id);

    expect(await resolveUser(db, await accountCookies(user.id), { secret: `${SECRET}-other` })).toBeNull();
    expect(await resolveUser(db, { [ACCOUNT_COOKIE]: `${whole.slice(0, -4)}AAAA` }, { secret: SECRET })).toBeNull();
    // A secure-named value under the plain name fails: the cookie name is the key-derivation salt.
    const secure = (await accountCookies(user.id, { secure: true }))[SECURE_ACCOUNT_COOKIE] ?? "";
    expect(await resolveUser(db, { [ACCOUNT_COOKIE]: secure }, { secret: SECRET })).toBeNull();
    expect(await resolveUser(db, await accountCookies("no-such-user"), { secret: SECRET })).toBeNull();
  });

  it("prefers the account to the guest, and falls back to the guest", async () => {
    const guest = await createGuestSession(db);
    const user = await db.user.create({ data: { email: "both@example.test", role: "researcher" } });
    const both = { ...(await accountCookies(user.id)), [SESSION_COOKIE]: guest.token };
    expect((await resolveUser(db, both, { secret: SECRET }))?.id).toBe(user.id);
    expect((await resolveUser(db, { [SESSION_COOKIE]: guest.token }, { secret: SECRET }))?.id).toBe(guest.user.id);
    expect(await resolveUser(db, {}, { secret: SECRET })).toBeNull();
  });

  it("refuses sessions begun at or before a revocation, and accepts later ones", async () => {
    const user = await db.user.create({ data: { email: "revoked@example.test", role: "player" } });
    const guestSession = await db.session.create({
      data: { userId: user.id, sessionToken: "x", expires: new Date(Date.now() + 60_000) },
    });
    const before = await accountCookies(user.id, { signedInAt: Date.now() - 1000 });
    await revokeUserSessions(db, user.id, new Date(Date.now() - 500));
    expect(await resolveUser(db, before, { secret: SECRET })).toBeNull();
    expect(await db.session.findUnique({ where: { id: guestSession.id } })).toBeNull();
    expect((await resolveUser(db, await accountCookies(user.id), { secret: SECRET }))?.id).toBe(user.id);
  });
});

describe("sign-up and sign-in", () => {
  it("upgrades the guest in place, ends the guest's sessions, and refuses a taken email", async () => {
    const guest = await createGuestSession(db);
    const user = await signUpWithPassword(db, {
      email: "upgraded@example.test",
      password: PASSWORD,
      guestToken: guest.token,
    });
    expect(user).toMatchObject({ id: guest.user.id, role: "player", email: "upgraded@example.test" });
    expect(await db.session.count({ where: { userId: guest.user.id } })).toBe(0);
    await expect(signUpWithPassword(db, { email: "upgraded@example.test", password: PASSWORD })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    // Without a guest, a new player.
    const fresh = await signUpWithPassword(db, { email: "fresh@example.test", password: PASSWORD, name: "Fresh" });
    expect(fresh).toMatchObject({ role: "player", name: "Fresh" });
    expect(fresh.id).not.toBe(guest.user.id);
  });

  it("signs in with the right password only, unknown emails get the same null", async () => {
    await signUpWithPassword(db, { email: "signin@example.test", password: PASSWORD });
    expect(await signInWithPassword(db, { email: "signin@example.test", password: PASSWORD })).toMatchObject({
      email: "signin@example.test",
    });
    expect(await signInWithPassword(db, { email: "signin@example.test", password: `${PASSWORD}!` })).toBeNull();
    expect(await signInWithPassword(db, { email: "nobody@example.test", password: PASSWORD })).toBeNull();
  });

  it("lets every character of a long password count (bcrypt alone would ignore those past 72 bytes)", async () => {
    const long = "p".repeat(150);
    await signUpWithPassword(db, { email: "long@example.test", password: long });
    expect(await signInWithPassword(db, { email: "long@example.test", password: long })).not.toBeNull();
    expect(await signInWithPassword(db, { email: "long@example.test", password: `${"p".repeat(149)}q` })).toBeNull();
  });
});

describe("user administration", () => {
  it("changes roles, but not one's own, not a guest's, and never demotes the last admin", async () => {
    const { id: adminId } = await createOrPromoteAdmin(db, { email: "boss@example.test", password: PASSWORD });
    const player = await db.user.create({ data: { email: "p@example.test", role: "player" } });
    const guest = await createGuestSession(db);

    expect(await changeUserRole(db, { actorId: adminId, userId: player.id, role: "researcher" })).toMatchObject({
      role: "researcher",
    });
    await expect(changeUserRole(db, { actorId: adminId, userId: adminId, role: "player" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(changeUserRole(db, { actorId: adminId, userId: guest.user.id, role: "admin" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(changeUserRole(db, { actorId: adminId, userId: "missing", role: "admin" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });

    // With two admins one may demote the other; then the remaining one cannot be demoted.
    await changeUserRole(db, { actorId: adminId, userId: player.id, role: "admin" });
    await changeUserRole(db, { actorId: player.id, userId: adminId, role: "player" });
    await changeUserRole(db, { actorId: player.id, userId: adminId, role: "admin" });
    await changeUserRole(db, { actorId: adminId, userId: player.id, role: "researcher" });
    await expect(changeUserRole(db, { actorId: player.id, userId: adminId, role: "player" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("never changes a study participant's role, and makes nobody a participant (checked here, not only in the UI)", async () => {
    const { id: adminId } = await createOrPromoteAdmin(db, { email: "chief@example.test", password: PASSWORD });
    const participant = await db.user.create({ data: { role: "participant" } });
    for (const role of ["admin", "researcher", "player"] as const)
      await expect(changeUserRole(db, { actorId: adminId, userId: participant.id, role })).rejects.toMatchObject({
        code: "CONFLICT",
        message: expect.stringMatching(/study participant keeps their role/),
      });
    const player = await db.user.create({ data: { email: "p2@example.test", role: "player" } });
    const sneaky = { actorId: adminId, userId: player.id, role: "participant" as never };
    await expect(changeUserRole(db, sneaky)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(changeUserRole(db, { ...sneaky, role: "guest" as never })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: participant.id } })).role).toBe("participant");
    expect((await db.user.findUniqueOrThrow({ where: { id: player.id } })).role).toBe("player");
  });

  it("promotes an existing account only by replacing its password and revoking its sessions", async () => {
    const squatter = await signUpWithPassword(db, { email: "owner@example.test", password: "squatter's password" });
    const guestSession = await db.session.create({
      data: { userId: squatter.id, sessionToken: "squatter-token", expires: new Date(Date.now() + 60_000) },
    });
    const before = Date.now();
    const promoted = await createOrPromoteAdmin(db, { email: "owner@example.test", password: PASSWORD });
    expect(promoted).toEqual({ id: squatter.id, created: false });
    const user = await db.user.findUniqueOrThrow({ where: { id: squatter.id } });
    expect(user.role).toBe("admin");
    expect(user.sessionsRevokedAt?.getTime()).toBeGreaterThanOrEqual(before);
    expect(await db.session.findUnique({ where: { id: guestSession.id } })).toBeNull();
    // The squatter's password and session no longer work; the operator's password does.
    expect(await signInWithPassword(db, { email: "owner@example.test", password: "squatter's password" })).toBeNull();
    expect(await signInWithPassword(db, { email: "owner@example.test", password: PASSWORD })).not.toBeNull();
    const old = await accountCookies(squatter.id, { signedInAt: before - 1 });
    expect(await resolveUser(db, old, { secret: SECRET })).toBeNull();
    await expect(createOrPromoteAdmin(db, { email: "owner@example.test", password: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
