import { z } from "zod";
import { PlayButton, RequestKeyField } from "@/components/play-button";
import { isAccount } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { PROTOCOL_LABELS } from "@/lib/debate/protocols";
import { LIVE_PROTOCOLS } from "@/lib/debate/vocabulary";
import { playableDebaters } from "@/lib/matches/start-guest-match";
import { MATCH_START_WINDOW_MS, matchStartRefusal } from "@/lib/matches/start-limits";
import { startGameAction } from "./actions";

// The offered debaters come from the server's configuration, read per request.
export const dynamic = "force-dynamic";

/** Messages the play form can come back with (`?error=`); anything else in the URL is ignored. */
const ERRORS = {
  choice: "That format or debater is not on offer here (the page may be out of date): choose again.",
} as const;

/** `?wait=` as the Play action sets it: whole seconds within the limits' window, else the whole window. */
const waitSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(MATCH_START_WINDOW_MS / 1000)
  .catch(MATCH_START_WINDOW_MS / 1000);

/** The message for `?error=` (and `?wait=`), or null for none or one the form does not set. */
function messageFor(error: unknown, wait: unknown): string | null {
  if (error === "busy") return matchStartRefusal(waitSchema.parse(wait));
  return typeof error === "string" && Object.hasOwn(ERRORS, error) ? ERRORS[error as keyof typeof ERRORS] : null;
}

export default async function HomePage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string | string[]; wait?: string | string[] }>;
}) {
  const debaters = playableDebaters();
  const user = await getCurrentUser();
  const { error, wait } = await searchParams;
  const message = messageFor(error, wait);
  return (
    <section className="hero">
      <h1>Can you find the truth without reading the evidence?</h1>
      <p className="lede">
        Two AIs have read a story you cannot see. One argues for the right answer to a question about it, the other for
        a wrong one. You judge: who is telling the truth?
      </p>
      {message && (
        <p className="form-error" role="alert">
          {message}
        </p>
      )}
      <form action={startGameAction} className="play-card" aria-label="Start a game">
        <RequestKeyField />
        <p id="how-to-play" className="tutorial-offer">
          New here? A short game with every part of the page explained as it appears:{" "}
          <PlayButton label="Tutorial" name="mode" value="tutorial" className="button" />
        </p>
        <PlayButton label="Quick play" name="mode" value="quick" />
        <p className="hint">
          A story you have not judged yet, in a format drawn at random; you learn which at the end.
        </p>
        <PlayButton label="Judge a real debate" name="mode" value="recorded" className="button" />
        <p className="hint">
          A debate between people or GPT-4 from the NYU debate experiments (2023), replayed as it was written; at the
          end you see how its original judge did.
        </p>
        <fieldset className="format-choice">
          <legend>Or choose the format</legend>
          <label className="debater-choice">
            Format
            <select name="protocol" defaultValue="debate">
              {LIVE_PROTOCOLS.map((protocol) => (
                <option key={protocol} value={protocol}>
                  {PROTOCOL_LABELS[protocol]}
                </option>
              ))}
            </select>
          </label>
          {debaters.length > 1 && (
            <label className="debater-choice">
              Debaters
              <select name="debaters" defaultValue={debaters[0]}>
                {debaters.map((spec) => (
                  <option key={spec} value={spec}>
                    {spec === debaters[0] ? "Offline debaters (no language model)" : spec}
                  </option>
                ))}
              </select>
            </label>
          )}
          <PlayButton label="Play" className="button primary" />
        </fieldset>
      </form>

      <div className="explainer">
        <section aria-labelledby="why-oversight">
          <h2 id="why-oversight">Scalable oversight</h2>
          <p>
            AI systems are starting to answer questions that their users cannot easily check.{" "}
            <em>Scalable oversight</em> is the research problem of how people can still tell when such a system is right
            — even when it knows more than they do.
          </p>
        </section>
        <section aria-labelledby="why-debate">
          <h2 id="why-debate">AI debate</h2>
          <p>
            One proposal is <em>debate</em>: let two AIs argue opposite answers and point out each other&rsquo;s
            mistakes, so that a judge who cannot check everything only has to weigh the evidence they show. Here the
            debaters quote the story; quotes that really occur in it are marked{" "}
            <span className="quote verified">verified</span>, the rest{" "}
            <span className="quote unverified">unverified</span>.
          </p>
        </section>
        <section aria-labelledby="why-judge">
          <h2 id="why-judge">Why your judgement matters</h2>
          <p>
            Debate only helps if people can judge it well. Each game tests that: after each round you say how likely
            each answer is, then ask for another round or decide. You score 1 point for giving the correct answer 100%,
            0 for 50–50, and less the more you lean to a wrong answer — so say what you really believe.
          </p>
        </section>
      </div>
      <p className="fine-print">
        Formats: in an <em>interactive debate</em> you may question the debaters between rounds; in a{" "}
        <em>consultancy</em> one AI argues one answer, right only half the time; with <em>no help</em> you decide from
        the question alone; as an <em>expert</em> you may read the story.
      </p>
      <p className="fine-print">
        {isAccount(user)
          ? "Your games are kept in your account."
          : "No account needed: you play as a guest (sign up any time to keep your games)."}{" "}
        Stories and questions come from QuALITY (CC BY 4.0) via the NYU debate experiments.
      </p>
    </section>
  );
}
