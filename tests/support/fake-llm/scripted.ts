import type { RecordedRequest, Reply, Responder } from "./types";

/**
 * Scripted replies for the fake model provider: deterministic (a hash of the prompt picks every variable part),
 * shaped like what Crux expects from debaters and judges, so whole matches can run against the fake server.
 */

/**
 * All prompt text of a recorded request, system included, in order, parts separated by blank lines. Reads both
 * protocols: OpenAI `messages[].content` (string or `{ type: "text", text }` parts; system is a message) and
 * Anthropic `system` (string or text blocks) plus `messages[].content`.
 */
export function promptText(request: RecordedRequest): string {
  const body = request.body;
  if (typeof body !== "object" || body === null) return typeof body === "string" ? body : "";
  const parts: string[] = [];
  if ("system" in body) parts.push(contentText(body.system));
  if ("messages" in body && Array.isArray(body.messages)) {
    for (const message of body.messages) {
      if (typeof message === "object" && message !== null && "content" in message) {
        parts.push(contentText(message.content));
      }
    }
  }
  return parts.filter((part) => part !== "").join("\n\n");
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) =>
      typeof part === "object" && part !== null && "text" in part && typeof part.text === "string" ? part.text : "",
    )
    .filter((text) => text !== "")
    .join("\n\n");
}

/**
 * The default responder. Checked in this order:
 * 1. The prompt holds a story between `<story>` and `</story>` and is not a judge's (it shows no `{"probabilities"`
 *    answer format — the expert judge reads the story too) → a debater's or consultant's argument (≤ 80 words)
 *    quoting one or two exact sentences of the story in `<quote>…</quote>`. When its transcript holds a
 *    `<judge_question>`, the argument starts `You asked: "<latest question>". `, so tests can check that every
 *    speaker received the question.
 * 2. A best-of-N picker prompt (asks for {"best": <index>}) → a draft index from the hash.
 * 3. The prompt contains "probabilities" → a judge's JSON verdict
 *    `{"probabilities":[0.3,0.7],"action":"continue"|"end","reasoning":"…"}`, with action "end" exactly when the
 *    prompt contains "final round" (case-insensitive). Always two options. When the prompt offers a `"question"`
 *    field and it continues, it asks `What does the story say about <first 3 words of the question>?`. When the
 *    request carries a JSON schema with a `question` property, the key is always there (null when not asking).
 *    For a forced Anthropic JSON tool the server sends this JSON as the tool call's input.
 * 4. Anything else → a short generic sentence.
 */
export function scriptedDebate(request: RecordedRequest): Reply {
  const prompt = promptText(request);
  const hash = fnv1a(prompt);
  const story = /<story>([\s\S]*?)<\/story>/i.exec(prompt)?.[1];
  const judgeFormat = /\{\s*"probabilities"/.test(prompt);
  if (story !== undefined && !judgeFormat)
    return { kind: "text", text: debaterArgument(story, hash, latestJudgeQuestion(prompt)) };
  const drafts = /index from 0 to (\d+)/.exec(prompt);
  if (/\{"best"/.test(prompt) && drafts?.[1]) {
    // A best-of-N picker: choose a draft deterministically.
    return { kind: "text", text: JSON.stringify({ best: hash % (Number(drafts[1]) + 1) }) };
  }
  if (/probabilities/i.test(prompt)) {
    const action = /final round/i.test(prompt) ? "end" : "continue";
    const reasoning = "The second answer is better supported by the verified quotes so far.";
    const verdict = { probabilities: [0.3, 0.7], action, reasoning };
    const ask = action === "continue" && /"question"/.test(prompt);
    const question = ask ? judgeQuestionFor(prompt) : null;
    // Under a JSON schema every property it lists is present (strict mode): no question is then null.
    const properties = request.structuredOutput?.schema?.properties;
    const schemaAsks = typeof properties === "object" && properties !== null && "question" in properties;
    const answer = question !== null || schemaAsks ? { ...verdict, question } : verdict;
    return { kind: "text", text: JSON.stringify(answer) };
  }
  return { kind: "text", text: "This is a scripted reply from the fake model provider." };
}

/** The scripted judge's question: about the first three words of the match question (from its "Question:" line). */
function judgeQuestionFor(prompt: string): string {
  const question = /^Question: (.+)$/m.exec(prompt)?.[1] ?? "the answer";
  const words = question
    .trim()
    .split(/\s+/)
    .slice(0, 3)
    .join(" ")
    .replace(/[?.!,;:]+$/, "");
  return `What does the story say about ${words}?`;
}

/**
 * The last judge question in the prompt's transcript (questions are rendered in round order, so the last is the
 * latest). Only the `<transcript>` is searched: the instructions also show the tag, as an example.
 */
function latestJudgeQuestion(prompt: string): string | undefined {
  const transcript = /<transcript>([\s\S]*)<\/transcript>/i.exec(prompt)?.[1] ?? "";
  const questions = [...transcript.matchAll(/<judge_question\b[^>]*>([\s\S]*?)<\/judge_question>/gi)];
  const latest = questions.at(-1)?.[1]?.trim();
  return latest ? latest.replace(/\s+/g, " ") : undefined;
}

const MAX_WORDS = 80;

/** Words of the judge's question echoed at most, so a long question cannot push the argument past the limit. */
const ECHO_WORDS = 20;

function debaterArgument(story: string, hash: number, judgeQuestion?: string): string {
  const sentences = quotableSentences(story);
  const first = sentences[hash % sentences.length] ?? fallbackQuote(story);
  const echo = judgeQuestion?.split(" ").slice(0, ECHO_WORDS).join(" ");
  const asked = echo === undefined ? "" : `You asked: "${echo}". `;
  const opening = `${asked}The story supports my answer. <quote>${first}</quote>`;
  const closing = "The other answer cannot account for this, so the judge should favour mine.";
  // An odd hash asks for a second quote, if there is another sentence and it fits in the word budget.
  const second = hash % 2 === 1 ? sentences[(hash >>> 8) % sentences.length] : undefined;
  if (second !== undefined && second !== first) {
    const longer = `${opening} It also says: <quote>${second}</quote> ${closing}`;
    if (wordCount(longer) <= MAX_WORDS) return longer;
  }
  return `${opening} ${closing}`;
}

/**
 * Sentences of the story as exact substrings (never spanning a line break), 4–25 words long so that two quotes
 * plus the framing stay within {@link MAX_WORDS}.
 */
function quotableSentences(story: string): string[] {
  const matches = story.match(/[^\s.!?][^.!?\n]*(?:[.!?]+["'”’)\]]*)?/g) ?? [];
  return matches
    .map((sentence) => sentence.trim())
    .filter((sentence) => wordCount(sentence) >= 4 && wordCount(sentence) <= 25);
}

/** The story's first (up to) twelve words, verbatim, for stories without a usable sentence. */
function fallbackQuote(story: string): string {
  return /\S+(?:\s+\S+){0,11}/.exec(story)?.[0] ?? "";
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((word) => word !== "").length;
}

/** 32-bit FNV-1a: a stable, dependency-free hash for deterministic choices. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A responder giving `replies` in order, one per call, then repeating the last one forever. */
export function sequence(...replies: Reply[]): Responder {
  if (replies.length === 0) throw new Error("sequence() needs at least one reply");
  let calls = 0;
  return () => {
    const reply = replies[Math.min(calls, replies.length - 1)];
    calls += 1;
    if (reply === undefined) throw new Error("unreachable: sequence() index out of range");
    return reply;
  };
}

/** A responder giving each of `faults` once, in order, then delegating every later call to `then`. */
export function faultsThen(faults: Reply[], then: Responder): Responder {
  let calls = 0;
  return (request, index) => {
    const fault = faults[calls];
    calls += 1;
    return fault ?? then(request, index);
  };
}
