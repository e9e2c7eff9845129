import { creditLine, type RevealTurn, seatSegments } from "@/lib/debate/reveal";
import type { MatchView } from "@/lib/debate/view";
import { speakerName } from "../transcript";

/** The story with each debater's verified quotes marked in their own colour (striped where both quoted it). */
export function RevealStory({
  view,
  passage,
  turns,
}: {
  view: MatchView;
  passage: { title: string; text: string; license: string };
  turns: RevealTurn[];
}) {
  const segments = seatSegments(passage.text, turns);
  const quoted = segments.filter((s) => s.seats.length > 0).length;
  let offset = 0;
  return (
    <article className="passage reveal-story" aria-label="The story">
      <h2>{passage.title}</h2>
      <p className="muted">
        {quoted} quoted passage{quoted === 1 ? "" : "s"} highlighted
        {view.debaters.length > 0 && (
          <>
            :{" "}
            {view.debaters.map((d, i) => (
              <span key={d.seat}>
                {i > 0 && ", "}
                <mark className={`seat-${d.seat}`}>{speakerName(view, d.seat)}</mark>
              </span>
            ))}
            {view.debaters.length > 1 && (
              <>
                , <mark className="seat-both">both</mark>
              </>
            )}
          </>
        )}
        . {creditLine(passage.license)}
      </p>
      <div className="passage-text">
        {segments.map((segment) => {
          const key = offset;
          offset += segment.text.length;
          if (segment.seats.length === 0) return <span key={key}>{segment.text}</span>;
          const seat = segment.seats.length > 1 ? "both" : segment.seats[0];
          const who = segment.seats.map((s) => speakerName(view, s)).join(" and ");
          return (
            <mark key={key} className={`seat-${seat}`} title={`Quoted by ${who}`} data-seat={seat}>
              {segment.text}
            </mark>
          );
        })}
      </div>
    </article>
  );
}
