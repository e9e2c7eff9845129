import type { SlotFill } from "@/lib/studies/monitor";

/** How full each condition's quota is: open, assigned (someone is judging) and done slots, with a bar. */
export function SlotFillTable({ slots }: { slots: readonly SlotFill[] }) {
  if (slots.length === 0) return <p className="empty">No slots: launch the study to create them.</p>;
  return (
    <table className="studies-table" aria-label="Slots per condition">
      <thead>
        <tr>
          <th scope="col">Condition</th>
          <th scope="col">Open</th>
          <th scope="col">Assigned</th>
          <th scope="col">Done</th>
          <th scope="col">Filled</th>
        </tr>
      </thead>
      <tbody>
        {slots.map((slot) => (
          <tr key={slot.condition} data-testid="slot-fill">
            <th scope="row">{slot.condition}</th>
            <td>{slot.open}</td>
            <td>{slot.assigned}</td>
            <td>{slot.done}</td>
            <td>
              <progress
                value={slot.done}
                max={Math.max(1, slot.total)}
                aria-label={`${slot.condition}: ${slot.done} of ${slot.total} done`}
              />{" "}
              {slot.done}/{slot.total}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
