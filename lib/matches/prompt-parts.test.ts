import { describe, expect, it } from "vitest";
import {
  compactCallPrompt,
  compactPrompt,
  MIN_PART_LENGTH,
  parsePromptRefs,
  promptPartId,
  restorePrompt,
  storedPromptRefs,
} from "./prompt-parts";

const story = `${'Once upon a time "quoted" — naïve 🙂 café\n\ttabbed\\slash \u2028 line \u0007 bell. '.repeat(12)}The end.`;
const system = `You are a debater. ${"Rules: quote the story exactly. ".repeat(12)}`;

function prompt(user: string) {
  return JSON.stringify({
    system,
    messages: [
      { role: "user", content: user },
      { role: "assistant", content: "ok" },
    ],
  });
}

describe("compactPrompt / restorePrompt", () => {
  it("cuts the shared texts out and restores the exact JSON text, byte for byte", () => {
    const json = prompt(`🙂 before <story>\n${story}\n</story> between ${story} after`);
    const compact = compactPrompt(json, [story, system]);
    expect(compact.refs.map((ref) => ref.part)).toEqual([
      promptPartId(system),
      promptPartId(story),
      promptPartId(story),
    ]);
    expect(compact.parts.size).toBe(2);
    expect(compact.json.length).toBeLessThan(json.length - 2 * story.length);
    // What is stored is still the JSON text of a value (it goes into a Json column and comes back unchanged).
    expect(JSON.stringify(JSON.parse(compact.json))).toBe(compact.json);
    const restored = restorePrompt(compact.json, compact.refs, (id) => compact.parts.get(id));
    expect(Buffer.from(restored, "utf8").equals(Buffer.from(json, "utf8"))).toBe(true);
  });

  it("counts offsets in code points, so astral characters before a part do not shift it", () => {
    const json = prompt(`${"𝒳".repeat(5)}${story}`);
    const compact = compactPrompt(json, [story]);
    const [ref] = compact.refs;
    const index = compact.json.indexOf("𝒳𝒳𝒳𝒳𝒳") + 10; // five astral characters: ten UTF-16 units
    expect(ref?.at).toBe([...compact.json.slice(0, index)].length);
    expect(restorePrompt(compact.json, compact.refs, (id) => compact.parts.get(id))).toBe(json);
  });

  it("leaves short texts, absent texts and adjacent parts exact", () => {
    expect(compactPrompt(prompt("short"), ["short"]).refs).toEqual([]);
    expect(compactPrompt(prompt("no story here"), [story]).refs).toEqual([]);
    const other = "x".repeat(MIN_PART_LENGTH);
    const json = prompt(`${story}${other}${story}`);
    const compact = compactPrompt(json, [other, story]);
    expect(compact.refs).toHaveLength(3);
    expect(restorePrompt(compact.json, compact.refs, (id) => compact.parts.get(id))).toBe(json);
  });

  it("refuses to restore without its parts", () => {
    const compact = compactPrompt(prompt(story), [story]);
    expect(() => restorePrompt(compact.json, compact.refs, () => undefined)).toThrow(/missing/);
  });
});

describe("compactCallPrompt", () => {
  it("cuts repeated paragraphs, refers to the story, and leaves a paragraph that holds a shared text to that text", () => {
    const rules = "Argue for your option in at most 150 words, and quote the story only word for word.";
    const turn = `Debater B said ${"something long enough to be shared on its own. ".repeat(3)}`;
    const json = JSON.stringify({
      system: "",
      messages: [
        { role: "user", content: `<story>\n${story}\n</story>\n\n${rules}\n\nSo far:\n${turn}\nEnd of transcript.` },
      ],
    });
    const compact = compactCallPrompt(json, { passage: { id: "passage-1", text: story }, shared: [turn] });
    expect([...compact.parts.values()].sort()).toEqual([rules, turn].sort());
    expect(compact.refs.find((ref) => ref.passage === "passage-1")?.part).toBe(promptPartId(story));
    expect(compact.json).toContain("So far:");
    const parts = new Map([...compact.parts, [promptPartId(story), story]]);
    expect(restorePrompt(compact.json, compact.refs, (id) => parts.get(id))).toBe(json);
  });
});

describe("stored references", () => {
  it("are written as [at, part(, passage)] and read back, as are the earlier { part, at } objects", () => {
    const refs = [
      { part: "a".repeat(22), at: 3 },
      { part: "b".repeat(22), at: 9, passage: "p1" },
    ];
    const stored = storedPromptRefs(refs);
    expect(stored).toEqual([
      [3, "a".repeat(22)],
      [9, "b".repeat(22), "p1"],
    ]);
    expect(parsePromptRefs(JSON.parse(JSON.stringify(stored)))).toEqual(refs);
    expect(parsePromptRefs([{ part: "c".repeat(64), at: 1 }, { part: "passage:p2", at: 2 }, "junk", [1]])).toEqual([
      { part: "c".repeat(64), at: 1 },
      { part: "passage:p2", at: 2 },
    ]);
    expect(promptPartId("text")).toMatch(/^[\w-]{22}$/);
  });
});
