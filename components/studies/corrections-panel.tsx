import { ActionForm, type FormAction } from "@/components/action-form";
import type { ListedCorrection } from "@/lib/studies/corrections";

/**
 * The study page's "Corrections" section: every correction, newest first, and (for the owner or an admin) a form
 * that excludes a match from the results or restores it, with a reason. Nothing is edited: each is a new record.
 */
export function CorrectionsPanel({
  studyId,
  corrections,
  action,
}: {
  studyId: string;
  corrections: ListedCorrection[];
  /** Absent when the viewer may not correct (a researcher added to the study). */
  action?: FormAction;
}) {
  return (
    <>
      <p className="hint">
        Leave a match out of the results, or bring it back, with the reason. Verdicts are never changed: each correction
        is a new record, listed here and in the audit log. The command line also corrects single verdicts and
        participants (<code>crux correct</code>).
      </p>
      {corrections.length === 0 ? (
        <p className="empty">No corrections.</p>
      ) : (
        <table className="studies-table" aria-label="Corrections">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Correction</th>
              <th scope="col">Target</th>
              <th scope="col">Reason</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {corrections.map((c) => (
              <tr key={c.id} data-testid="correction">
                <td>
                  <time dateTime={c.createdAt.toISOString()}>{c.createdAt.toISOString().slice(0, 16)}</time>
                </td>
                <td>{c.kind}</td>
                <td>
                  {c.targetKind} <code>{c.targetId}</code>
                </td>
                <td>{c.reason}</td>
                <td>{c.actorEmail ?? c.actorId}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {action ? (
        <ActionForm action={action} fields={{ studyId }} label="Record correction">
          <label htmlFor="correction-match">Match id</label>
          <input id="correction-match" name="matchId" required maxLength={64} />
          <label htmlFor="correction-kind">Correction</label>
          <select id="correction-kind" name="kind" defaultValue="exclude">
            <option value="exclude">Exclude from the results</option>
            <option value="restore">Restore to the results</option>
          </select>
          <label htmlFor="correction-reason">Reason</label>
          <input id="correction-reason" name="reason" required minLength={3} maxLength={500} />
        </ActionForm>
      ) : (
        <p className="hint">Only the study's owner or an admin can record corrections.</p>
      )}
    </>
  );
}
