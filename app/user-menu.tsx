import Link from "next/link";
import { hasRole, isAccount, parseRole, ROLE_LABELS } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { signOutAction } from "./auth-actions";

/** The header's right-hand side: who is signed in (account or guest) and the matching links and Sign out button. */
export async function UserMenu() {
  const user = await getCurrentUser();
  // A study participant is in the middle of a study: no account links to wander off to.
  if (user?.role === "participant") {
    return (
      <nav className="user-menu" aria-label="Account">
        <span className="muted">Taking part in a study</span>
      </nav>
    );
  }
  if (isAccount(user) && user) {
    return (
      <nav className="user-menu" aria-label="Account">
        <span data-testid="signed-in-as">
          Signed in as <strong>{user.name ?? user.email}</strong>{" "}
          <span className="muted">({ROLE_LABELS[parseRole(user.role)]})</span>
        </span>
        <Link href="/me">Your record</Link>
        <Link href="/#how-to-play">How to play</Link>
        <Link href="/account">Account</Link>
        {hasRole(user, "researcher") && <Link href="/studies">Studies</Link>}
        {hasRole(user, "researcher") && <Link href="/transcripts">Transcripts</Link>}
        {hasRole(user, "admin") && <Link href="/admin/users">Users</Link>}
        {hasRole(user, "admin") && <Link href="/admin/audit">Audit log</Link>}
        <form action={signOutAction}>
          <button type="submit" className="button small">
            Sign out
          </button>
        </form>
      </nav>
    );
  }
  return (
    <nav className="user-menu" aria-label="Account">
      {user && <span className="muted">Playing as a guest</span>}
      {user && <Link href="/me">Your record</Link>}
      <Link href="/#how-to-play">How to play</Link>
      <Link href="/signin">Sign in</Link>
      <Link href="/signup">{user ? "Sign up to keep your games" : "Sign up"}</Link>
    </nav>
  );
}
