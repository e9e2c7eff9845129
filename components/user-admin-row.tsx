"use client";

import { useActionState, useId } from "react";
import { ASSIGNABLE_ROLES, isRoleChangeable } from "@/lib/auth/roles";

interface UserActionState {
  ok?: boolean;
  message?: string;
}
type UserAction = (previous: UserActionState, formData: FormData) => Promise<UserActionState>;

/**
 * One account's admin controls on /admin/users: change the role (player, researcher and admin accounts only:
 * `ASSIGNABLE_ROLES`), revoke sessions. Each answers in a live region.
 * `label` names the user, so every control's accessible name says whom it acts on.
 */
export function UserAdminControls({
  userId,
  label,
  role,
  isSelf,
  changeRole,
  revokeSessions,
}: {
  userId: string;
  label: string;
  role: string;
  isSelf: boolean;
  changeRole: UserAction;
  revokeSessions: UserAction;
}) {
  const [roleState, roleAction, rolePending] = useActionState(changeRole, {});
  const [revokeState, revokeAction, revokePending] = useActionState(revokeSessions, {});
  const selectId = useId();
  const state = revokeState.message ? revokeState : roleState;
  return (
    <div className="user-controls">
      {/* Guests' and study participants' roles are not an admin's to change (changeUserRole refuses them too). */}
      {isRoleChangeable(role) && !isSelf && (
        <form action={roleAction} className="inline-form">
          <input type="hidden" name="userId" value={userId} />
          <label htmlFor={selectId} className="visually-hidden">
            Role for {label}
          </label>
          <select id={selectId} name="role" defaultValue={role}>
            {ASSIGNABLE_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <button type="submit" className="button" disabled={rolePending} aria-label={`Change role of ${label}`}>
            Change role
          </button>
        </form>
      )}
      <form action={revokeAction} className="inline-form">
        <input type="hidden" name="userId" value={userId} />
        <button type="submit" className="button" disabled={revokePending} aria-label={`Revoke sessions of ${label}`}>
          Revoke sessions
        </button>
      </form>
      <p className={state.ok === false ? "error" : "hint"} role="status">
        {state.message ?? ""}
      </p>
    </div>
  );
}
