import type { ParticipantView } from "@/lib/studies/participants";
import { ForwardTo } from "./browser-effects";
import { CompletionCode } from "./completion-code";

const MESSAGES: Record<ParticipantView["status"], { title: string; text: string }> = {
  completed: { title: "Thank you — you have finished the study", text: "Your answers are saved." },
  failed_check: {
    title: "Thank you for your time",
    text: "The answers to the check were not right, so the study ends here for you.",
  },
  screened_out: {
    title: "Thank you for your time",
    text: "The qualifying matches did not reach the level this study needs, so the study ends here for you.",
  },
  removed: { title: "The study has ended for you", text: "Thank you for the time you gave it." },
  full: {
    title: "The study is full",
    text: "There is no match left for you to judge. Please return the study on Prolific (no code is needed).",
  },
  active: { title: "Thank you", text: "" },
};

/**
 * The end: the completion code, and where the study sends the participant with it. With a completion URL the
 * browser is sent there at once; the link stays visible in case that does not happen.
 */
export function Completion({ view }: { view: ParticipantView }) {
  const message = MESSAGES[view.status];
  const code = view.completion?.code ?? null;
  const url = view.completion?.redirectUrl ?? null;
  return (
    <section className="participant-step completion" aria-labelledby="step-heading">
      <h1 id="step-heading">{message.title}</h1>
      {message.text && <p>{message.text}</p>}
      {code && <CompletionCode code={code} />}
      {code && !url && <p>Enter this code where the study asks for it; then you may close this page.</p>}
      {url && (
        <>
          <p role="status">{`Taking you back to ${platformName(url)}…`}</p>
          <p>
            <a href={url} className="button primary large">
              {`Continue to ${platformName(url)}`}
            </a>
          </p>
          <ForwardTo url={url} />
        </>
      )}
    </section>
  );
}

function platformName(url: string): string {
  const host = new URL(url).hostname;
  return /(^|\.)prolific\.(com|co|ac)$/.test(host) ? "Prolific" : host;
}
