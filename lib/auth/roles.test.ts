import { describe, expect, it } from "vitest";
import { hasRole, isAccount, isRoleChangeable, parseRole, ROLES, type Role } from "./roles";

describe("roles", () => {
  it("admin ⊇ researcher ⊇ player; participant and guest stand alone", () => {
    const table: Record<Role, Role[]> = {
      guest: ["guest"],
      player: ["player"],
      participant: ["participant"],
      researcher: ["researcher", "player"],
      admin: ["admin", "researcher", "player"],
    };
    for (const own of ROLES) {
      for (const asked of ROLES) {
        expect(hasRole({ role: own }, asked), `${own} has ${asked}`).toBe(table[own].includes(asked));
      }
    }
  });

  it("nobody has a role, and unknown stored roles have none either", () => {
    expect(hasRole(null, "guest")).toBe(false);
    expect(hasRole(undefined, "player")).toBe(false);
    expect(parseRole("superuser")).toBe("guest");
    expect(hasRole({ role: "superuser" }, "admin")).toBe(false);
    expect(hasRole({ role: "superuser" }, "player")).toBe(false);
  });

  it("accounts are every role but guest", () => {
    expect(isAccount(null)).toBe(false);
    expect(isAccount({ role: "guest" })).toBe(false);
    expect(isAccount({ role: "nonsense" })).toBe(false);
    for (const role of ["player", "participant", "researcher", "admin"]) expect(isAccount({ role })).toBe(true);
  });

  it("an admin changes roles only among player, researcher and admin: never a guest's or a participant's", () => {
    expect(ROLES.filter(isRoleChangeable)).toEqual(["player", "researcher", "admin"]);
    expect(isRoleChangeable("superuser")).toBe(false);
  });
});
