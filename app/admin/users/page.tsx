import { UserAdminControls } from "@/components/user-admin-row";
import { requireRole } from "@/lib/auth/session";
import { countGuests, listUsers } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { changeRoleAction, revokeSessionsAction } from "./actions";

export const metadata = { title: "Users — Crux admin" };

/** Admin only (the proxy checks for an account; this checks the role): accounts, their roles, revoking sessions. */
export default async function AdminUsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const admin = await requireRole("admin", { callbackUrl: "/admin/users" });
  const includeGuests = (await searchParams).guests === "1";
  const db = getDb();
  const [users, guests] = await Promise.all([listUsers(db, { includeGuests }), countGuests(db)]);
  return (
    <section className="admin-page">
      <h1>Users</h1>
      <p className="muted">
        {users.length} {includeGuests ? "users" : "accounts"} shown
        {includeGuests ? "" : `; ${guests} guests not listed`} ·{" "}
        <a href={includeGuests ? "/admin/users" : "/admin/users?guests=1"}>
          {includeGuests ? "Hide guests" : "Show guests too"}
        </a>
      </p>
      <table className="users-table">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Role</th>
            <th scope="col">Games</th>
            <th scope="col">Joined</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => {
            const label = user.email ?? user.name ?? `guest ${user.id.slice(-6)}`;
            return (
              <tr key={user.id} data-testid="user-row">
                <th scope="row">
                  {label}
                  {user.name && user.email && <span className="muted"> ({user.name})</span>}
                  {user.id === admin.id && <span className="muted"> (you)</span>}
                </th>
                <td data-testid="user-role">{user.role}</td>
                <td>{user.matches}</td>
                <td>
                  <time dateTime={user.createdAt.toISOString()}>{user.createdAt.toISOString().slice(0, 10)}</time>
                </td>
                <td>
                  <UserAdminControls
                    userId={user.id}
                    label={label}
                    role={user.role}
                    isSelf={user.id === admin.id}
                    changeRole={changeRoleAction}
                    revokeSessions={revokeSessionsAction}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
