import { afterEach, describe, expect, it, vi } from "vitest";
import { createRecordedDebater, parseRecordedModel, recordedDebaterSpec } from "./recorded";
import { createModelRegistry } from "./registry";

const TURNS: Record<string, string> = { "src-1/1/A": "The keeper stayed <quote>out of duty</quote> every night." };
const lookup = async (id: string, round: number, seat: string) => TURNS[`${id}/${round}/${seat}`] ?? null;
const input = (round: number) => ({
  question: "Why?",
  options: ["Duty", "Money"],
  passage: "",
  seat: "A" as const,
  option: 0,
  round,
  totalRounds: 2,
  transcript: [],
  wordLimit: 150,
  seed: 1,
});

afterEach(() => {
  vi.useRealTimers();
});

describe("the recorded debater", () => {
  it("names its source and seat in its spec", () => {
    expect(recordedDebaterSpec("src-1", "B")).toBe("recorded:src-1:B");
    expect(parseRecordedModel("src-1:B")).toEqual({ sourceMatchId: "src-1", seat: "B" });
    expect(parseRecordedModel("src-1")).toBeNull();
    expect(parseRecordedModel("src-1:C")).toBeNull();
  });

  it("streams the source's turn word by word at its pace, driven by the clock", async () => {
    vi.useFakeTimers();
    const debater = createRecordedDebater("src-1:A", { lookup, wordDelayMs: 200 });
    const deltas: string[] = [];
    const reply = debater?.argue(input(1), { onDelta: (d) => deltas.push(d) });
    await vi.advanceTimersByTimeAsync(0);
    expect(deltas).toEqual(["The "]);
    await vi.advanceTimersByTimeAsync(200);
    expect(deltas).toEqual(["The ", "keeper "]);
    await vi.advanceTimersByTimeAsync(2_000);
    const done = await reply;
    expect(deltas.join("")).toBe(TURNS["src-1/1/A"]);
    expect(done?.text).toBe(TURNS["src-1/1/A"]);
    expect(done?.meta.model).toBe("recorded:src-1:A");
  });

  it("fails when the source has no turn for the round", async () => {
    const debater = createRecordedDebater("src-1:A", { lookup, wordDelayMs: 0 });
    await expect(debater?.argue(input(2))).rejects.toThrow(/no turn of seat A in round 2/);
  });

  it("is offered by the registry only when given a source of turns, with a label naming no source", () => {
    expect(() => createModelRegistry().debater("recorded:src-1:A")).toThrow(/no such provider/);
    const registry = createModelRegistry({ recorded: { lookup, wordDelayMs: 0 } });
    expect(registry.debater("recorded:src-1:A").info.spec).toBe("recorded:src-1:A");
    expect(registry.info("recorded:src-1:A")).toEqual({
      spec: "recorded:src-1:A",
      label: "Recorded debater",
      isLanguageModel: false,
    });
  });
});
