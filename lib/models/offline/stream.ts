/**
 * Word-by-word delivery of an already-composed turn, so offline debaters look and behave like streaming models
 * (the UI and the match runner exercise the same code paths) and can be cancelled mid-turn.
 */

/** The error a cancelled call rejects with (`name === "AbortError"`, like fetch). */
export function abortError(): DOMException {
  return new DOMException("The model call was aborted", "AbortError");
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Options for {@link streamWords}. */
export interface StreamOptions {
  signal?: AbortSignal;
  onDelta?: (delta: string) => void;
  /** Pause between words; 0 delivers everything synchronously (still checking the signal per word). */
  wordDelayMs: number;
}

/**
 * Emits `text` as word-plus-trailing-space chunks whose concatenation is exactly `text`. Rejects with an
 * AbortError as soon as the signal fires, including during a pause.
 */
export async function streamWords(text: string, options: StreamOptions): Promise<void> {
  const chunks = text.match(/\S+\s*|\s+/g) ?? [];
  for (const [i, chunk] of chunks.entries()) {
    if (options.signal?.aborted) throw abortError();
    if (i > 0 && options.wordDelayMs > 0) await sleep(options.wordDelayMs, options.signal);
    options.onDelta?.(chunk);
  }
  if (options.signal?.aborted) throw abortError();
}
