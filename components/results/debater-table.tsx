"use client";

import type { RatingIntervals, StudyResults } from "@/lib/analysis/results-schema";
import { percent } from "./format";
import { useResultsPart } from "./use-results-part";

/**
 * Debater models: how often the judge sided with each one when it argued the correct option and when it argued
 * the wrong one, and — when two or more models met in debates — Bradley–Terry ratings, whose bootstrap intervals
 * arrive in a second request.
 */
export function DebaterTable({
  studyId,
  query,
  debaters,
  ratings,
}: {
  studyId: string;
  query: string;
  debaters: StudyResults["debaters"];
  ratings: StudyResults["ratings"];
}) {
  return (
    <>
      <table className="studies-table results-table">
        <caption>Win rate: the share of judgments in which the judge chose the model's option</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Arguing the correct option</th>
            <th scope="col">Arguing the wrong option</th>
          </tr>
        </thead>
        <tbody>
          {debaters.map((d) => (
            <tr key={d.model}>
              <th scope="row">
                <code>{d.model}</code>
              </th>
              <td>
                {percent(d.honest.rate)} ({d.honest.wins} of {d.honest.n})
              </td>
              <td>
                {percent(d.dishonest.rate)} ({d.dishonest.wins} of {d.dishonest.n})
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {ratings ? (
        <RatingsTable studyId={studyId} query={query} ratings={ratings} />
      ) : (
        <p className="muted">Ratings appear when debates put two different models against each other.</p>
      )}
    </>
  );
}

function RatingsTable({
  studyId,
  query,
  ratings,
}: {
  studyId: string;
  query: string;
  ratings: NonNullable<StudyResults["ratings"]>;
}) {
  const state = useResultsPart<RatingIntervals | null>(studyId, "ratings", query);
  const intervals = new Map(
    state.status === "ready" && state.data ? state.data.ratings.map((r) => [r.player, r] as const) : [],
  );
  return (
    <table className="studies-table results-table" aria-busy={state.status === "loading"}>
      <caption>
        Bradley–Terry ratings (Elo scale, mean 1500) from {ratings.games.toLocaleString("en")} debates between different
        models
      </caption>
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col">Rating</th>
          <th scope="col">95% interval</th>
          <th scope="col">Debates</th>
          <th scope="col">Won</th>
        </tr>
      </thead>
      <tbody>
        {ratings.ratings.map((r) => {
          const withInterval = intervals.get(r.player);
          return (
            <tr key={r.player}>
              <th scope="row">
                <code>{r.player}</code>
              </th>
              <td>{Math.round(r.rating)}</td>
              <td>
                {withInterval
                  ? `[${Math.round(withInterval.lower)}, ${Math.round(withInterval.upper)}]`
                  : state.status === "error"
                    ? "unavailable"
                    : "computing…"}
              </td>
              <td>{r.games}</td>
              <td>{r.score}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
