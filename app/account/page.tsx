import Link from "next/link";
import { parseRole, ROLE_LABELS } from "@/lib/auth/roles";
import { requireAccount } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { PROTOCOL_LABELS } from "@/lib/debate/protocols";
import { PROTOCOLS, type Protocol } from "@/lib/debate/vocabulary";
import { listJudgedMatches } from "@/lib/matches/list";
import { signOutEverywhereAction } from "../auth-actions";

export const metadata = { title: "Your account — Crux" };

function protocolLabel(protocol: string): string {
  return (PROTOCOLS as readonly string[]).includes(protocol) ? PROTOCOL_LABELS[protocol as Protocol] : protocol;
}

/** The signed-in account: who they are, their games (including those played as a guest), sign out everywhere. */
export default async function AccountPage() {
  const user = await requireAccount({ callbackUrl: "/account" });
  const matches = await listJudgedMatches(getDb(), { judgeId: user.id });
  return (
    <section className="account-page">
      <h1>Your account</h1>
      <dl className="account-details">
        <dt>Email</dt>
        <dd>{user.email ?? "—"}</dd>
        <dt>Name</dt>
        <dd>{user.name ?? "—"}</dd>
        <dt>Role</dt>
        <dd>{ROLE_LABELS[parseRole(user.role)]}</dd>
      </dl>

      <h2>Your games</h2>
      <p>
        Scores, accuracy and calibration: <Link href="/me">your record</Link>. Rankings:{" "}
        <Link href="/leaderboard">the leaderboard</Link>.
      </p>
      {matches.length === 0 ? (
        <p className="empty">No games yet.</p>
      ) : (
        <ul className="match-list" aria-label="Your games">
          {matches.map((match) => (
            <li key={match.id}>
              <Link href={`/match/${match.id}`}>{match.question}</Link>{" "}
              <span className="muted">
                {protocolLabel(match.protocol)} · {match.status.replace("_", " ")} ·{" "}
                <time dateTime={match.createdAt.toISOString()}>{match.createdAt.toISOString().slice(0, 10)}</time>
              </span>
            </li>
          ))}
        </ul>
      )}

      <h2>Sessions</h2>
      <p>Signed in on a computer you no longer use? End every session of this account, here and everywhere else.</p>
      <form action={signOutEverywhereAction}>
        <button type="submit" className="button">
          Sign out everywhere
        </button>
      </form>
    </section>
  );
}
