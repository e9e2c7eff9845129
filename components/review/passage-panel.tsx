import { type ProseQuote, proseParagraphs } from "@/lib/debate/prose";

/**
 * The story as prose in a side panel, every verified quote highlighted in its debater's colour. Each quote has an
 * anchor (`passage-<key>`) that its place in a turn links to, and each highlight links back to the quote in the turn
 * (`quote-<key>`): plain links, so jumping works without script and the browser's Back returns.
 */
export function PassagePanel({
  passage,
  quotes,
}: {
  passage: { title: string; text: string; license: string };
  quotes: ProseQuote[];
}) {
  const paragraphs = proseParagraphs(passage.text, quotes);
  return (
    <article className="passage review-passage" aria-label="The story">
      <h2>{passage.title}</h2>
      <p className="muted">
        {quotes.length} verified quote{quotes.length === 1 ? "" : "s"} highlighted. {passage.license}
      </p>
      <div className="passage-prose" data-testid="passage-prose">
        {paragraphs.map((paragraph) => (
          <p key={paragraph.offset}>
            {paragraph.pieces.map((piece) => {
              const anchors = piece.starts.map((key) => <span key={key} id={`passage-${key}`} className="anchor" />);
              if (piece.quotes.length === 0)
                return (
                  <span key={piece.offset}>
                    {anchors}
                    {piece.text}
                  </span>
                );
              const back = piece.quotes[0];
              return (
                <mark
                  key={piece.offset}
                  className={`quoted ${piece.owners.map((o) => `seat-${o}`).join(" ")}`}
                  data-offset={piece.offset}
                  data-quotes={piece.quotes.join(" ")}
                >
                  {anchors}
                  <a href={`#quote-${back}`} title="Back to the quote in the transcript">
                    {piece.text}
                  </a>
                </mark>
              );
            })}
          </p>
        ))}
      </div>
    </article>
  );
}
