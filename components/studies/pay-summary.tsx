import { formatMoney, type PayConfig } from "@/lib/studies/bonus";

/** The study page's pay: the rule in a line, and the bonus file to upload to Prolific's bulk bonus payment. */
export function PaySummary({ studyId, pay }: { studyId: string; pay: PayConfig }) {
  const { basePay, currency, bonus } = pay;
  return (
    <section aria-labelledby="pay-heading">
      <h2 id="pay-heading">Pay</h2>
      <p>
        Base pay {formatMoney(basePay, currency)}
        {bonus
          ? `; bonus ${formatMoney(bonus.perPoint, currency)} per point of mean score above ${bonus.floor}, up to ${formatMoney(bonus.cap, currency)}.`
          : "; no performance bonus."}
      </p>
      {bonus && (
        <p>
          <a href={`/api/studies/${encodeURIComponent(studyId)}/bonus`} className="button" download>
            Download the bonus file
          </a>{" "}
          <span className="hint">
            One “Prolific id,amount” line per participant who completed the study and earned a bonus: paste it into
            Prolific’s bulk bonus payment.
          </span>
        </p>
      )}
    </section>
  );
}
