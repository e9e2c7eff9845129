import Link from "next/link";
import { CalibrationChart } from "@/components/record/calibration-chart";
import { LeaderboardSetting } from "@/components/record/leaderboard-setting";
import { decimal, percent } from "@/components/results/format";
import { isAccount } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { PROTOCOL_LABELS } from "@/lib/debate/protocols";
import { PROTOCOLS, type Protocol } from "@/lib/debate/vocabulary";
import { getLeaderboardEntry } from "@/lib/players/leaderboard";
import { getPlayerRecord } from "@/lib/players/record";
import type { RecordStats } from "@/lib/players/stats";
import { joinLeaderboardAction, leaveLeaderboardAction } from "./actions";
import "@/components/game.css";

export const metadata = { title: "Your record — Crux" };

function formatLabel(protocol: string): string {
  return (PROTOCOLS as readonly string[]).includes(protocol) ? PROTOCOL_LABELS[protocol as Protocol] : protocol;
}

/**
 * The player's record (guest or account): games, accuracy, mean score, streak and calibration, overall and per
 * format; every past game, each reopening its reveal; and the leaderboard setting.
 */
export default async function RecordPage() {
  const user = await getCurrentUser();
  const db = getDb();
  const [record, entry] = user
    ? await Promise.all([getPlayerRecord(db, { userId: user.id }), getLeaderboardEntry(db, { userId: user.id })])
    : [null, null];
  const games = record?.games ?? [];
  return (
    <section className="record-page">
      <h1>Your record</h1>
      {user && !isAccount(user) && (
        <p className="muted">
          You play as a guest: this record lives in this browser's session. <Link href="/signup">Sign up</Link> to keep
          it.
        </p>
      )}
      {!record || games.length === 0 ? (
        <p className="empty" data-testid="record-empty">
          No games yet. <Link href="/">Play a game</Link> and your record starts here: how often you are right, your
          score, and how well your confidence matches your accuracy. (The tutorial game does not count.)
        </p>
      ) : (
        <>
          <StatsList stats={record.overall} />
          <h2>Calibration</h2>
          <CalibrationChart bins={record.overall.calibration} />
          <h2>By format</h2>
          <table className="studies-table record-formats">
            <thead>
              <tr>
                <th scope="col">Format</th>
                <th scope="col">Games</th>
                <th scope="col">Accuracy</th>
                <th scope="col">Mean score</th>
                <th scope="col">Streak (best)</th>
              </tr>
            </thead>
            <tbody>
              {record.byFormat.map(({ protocol, stats }) => (
                <tr key={protocol}>
                  <th scope="row">{formatLabel(protocol)}</th>
                  <td>{stats.games}</td>
                  <td>{percent(stats.accuracy, 0)}</td>
                  <td>{decimal(stats.meanScore, 2)}</td>
                  <td>
                    {stats.currentStreak} ({stats.bestStreak})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Your games</h2>
          <ol className="match-list record-games" aria-label="Your games">
            {games.map((game) => (
              <li key={game.matchId}>
                <Link href={`/match/${game.matchId}`}>{game.question}</Link>{" "}
                <span className="muted">
                  {formatLabel(game.protocol)} · {game.correct ? "right" : "wrong"} · score {decimal(game.score, 2)} ·{" "}
                  <time dateTime={game.playedAt.toISOString()}>{game.playedAt.toISOString().slice(0, 10)}</time>
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
      <h2>Leaderboard</h2>
      {user ? (
        <LeaderboardSetting
          nickname={entry?.nickname ?? null}
          join={joinLeaderboardAction}
          leave={leaveLeaderboardAction}
        />
      ) : (
        <p>Play a game first; then you can join the leaderboard under a nickname.</p>
      )}
      <p>
        <Link href="/leaderboard">See the leaderboard</Link>
      </p>
    </section>
  );
}

function StatsList({ stats }: { stats: RecordStats }) {
  return (
    <dl className="record-stats" data-testid="record-stats">
      <div>
        <dt>Games</dt>
        <dd data-testid="record-games">{stats.games}</dd>
      </div>
      <div>
        <dt>Accuracy</dt>
        <dd>{percent(stats.accuracy, 0)}</dd>
      </div>
      <div>
        <dt>Mean score</dt>
        <dd data-testid="record-mean-score">{decimal(stats.meanScore, 2)}</dd>
      </div>
      <div>
        <dt>Streak</dt>
        <dd>
          {stats.currentStreak} right in a row (best {stats.bestStreak})
        </dd>
      </div>
    </dl>
  );
}
