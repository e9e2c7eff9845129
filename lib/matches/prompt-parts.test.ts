import { describe, expect, it } from "vitest";
import { compactPrompt, MIN_PART_LENGTH, promptPartId, restorePrompt } from "./prompt-parts";

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
