/**
 * Provider keys must never reach a person: a provider's error text may quote the key it was sent ("Incorrect API
 * key provided: sk-…"), and that text becomes a model error's reason, the match's stored error, the monitor's
 * grouped reasons and the logs. `redactSecrets` is applied where model errors are built (`ModelCallError`, and
 * `detail` for every provider message quoted in a reason), so none of those paths carries a key.
 */

/** What a secret is replaced with. */
export const REDACTED = "[redacted]";

/**
 * Configured values shorter than this are not searched for: replacing every "abc" or "1" in a message would garble
 * it, and a key that short protects nothing anyway.
 */
export const MIN_SECRET_LENGTH = 4;

/**
 * Key-shaped tokens, whether or not they are configured here: OpenAI-style `sk-…` keys (Anthropic's `sk-ant-…`
 * included) and the token of an `Authorization: Bearer …` header.
 */
const KEY_SHAPES: readonly [RegExp, string][] = [
  [/\bBearer\s+[^\s"',;]+/gi, `Bearer ${REDACTED}`],
  [/\bsk-[A-Za-z0-9_-]{6,}/g, REDACTED],
];

/**
 * `text` with every occurrence of each configured secret (at least {@link MIN_SECRET_LENGTH} characters) and every
 * key-shaped token replaced by {@link REDACTED}. Longer secrets are replaced first, so one that contains another is
 * not left half shown.
 */
export function redactSecrets(text: string, secrets: readonly (string | null | undefined)[] = []): string {
  let out = text;
  const values = [...new Set(secrets)]
    .filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  for (const secret of values) out = out.split(secret).join(REDACTED);
  for (const [shape, replacement] of KEY_SHAPES) out = out.replace(shape, replacement);
  return out;
}
