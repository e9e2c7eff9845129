import Link from "next/link";
import { decimal, percent } from "@/components/results/format";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { getLeaderboard } from "@/lib/players/leaderboard";

export const metadata = { title: "Leaderboard — Crux" };
// Rankings change with every verdict: never served from a build-time render.
export const dynamic = "force-dynamic";

/** Judges who opted in, by mean score over at least CRUX_LEADERBOARD_MIN_GAMES free-play games; nicknames only. */
export default async function LeaderboardPage() {
  const minGames = env.CRUX_LEADERBOARD_MIN_GAMES;
  const rows = await getLeaderboard(getDb(), { minGames });
  return (
    <section className="leaderboard-page">
      <h1>Leaderboard</h1>
      <p>
        Judges by mean score (1 for certainty on the correct answer, 0 for a 50/50 guess) over at least {minGames} game
        {minGames === 1 ? "" : "s"}. Only players who chose a nickname on <Link href="/me">their record</Link> appear.
      </p>
      {rows.length === 0 ? (
        <p className="empty" data-testid="leaderboard-empty">
          Nobody yet. Play {minGames} game{minGames === 1 ? "" : "s"} and join under a nickname to be first.
        </p>
      ) : (
        <table className="studies-table leaderboard">
          <caption className="visually-hidden">Judges ranked by mean score</caption>
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Judge</th>
              <th scope="col">Mean score</th>
              <th scope="col">Accuracy</th>
              <th scope="col">Games</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.userId} data-testid="leaderboard-row">
                <td>{row.rank}</td>
                <th scope="row">{row.nickname}</th>
                <td>{decimal(row.meanScore, 3)}</td>
                <td>{percent(row.accuracy, 0)}</td>
                <td>{row.games}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
