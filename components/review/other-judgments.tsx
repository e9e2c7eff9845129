import Link from "next/link";
import { PROTOCOL_LABELS } from "@/lib/debate/protocols";
import { protocolSchema } from "@/lib/debate/vocabulary";
import type { OtherJudgment } from "@/lib/transcripts/review";

/** "Other judgments of this question": each opens, or opens side by side with this transcript. */
export function OtherJudgments({ matchId, others }: { matchId: string; others: OtherJudgment[] }) {
  if (others.length === 0) return null;
  const label = (protocol: string) => {
    const parsed = protocolSchema.safeParse(protocol);
    return parsed.success ? PROTOCOL_LABELS[parsed.data] : protocol;
  };
  return (
    <section className="other-judgments" aria-labelledby="others-heading">
      <h2 id="others-heading">Other judgments of this question</h2>
      <ul>
        {others.map((other) => (
          <li key={other.id} data-testid="other-judgment">
            <Link href={`/transcripts/${other.id}`}>
              {label(other.protocol)}
              {other.condition ? ` (${other.condition})` : ""}
            </Link>{" "}
            <span className="muted">
              {other.correct === null ? other.status : other.correct ? "judge right" : "judge wrong"} ·{" "}
              {other.createdAt.toISOString().slice(0, 10)}
            </span>{" "}
            · <Link href={`/transcripts/compare?a=${matchId}&b=${other.id}`}>Compare side by side</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
