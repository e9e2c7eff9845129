import "server-only";
import { getDb } from "@/lib/db/client";
import { playableDebaters } from "@/lib/matches/start-guest-match";
import { createModelRegistry } from "@/lib/models/registry";
import { countQuestions } from "@/lib/questions/queries";

/**
 * What the design form offers: the question sets in the database with their sizes, and model specs to suggest
 * (offline models and those allowed for play; any other configured spec can still be typed).
 */
export async function studyFormOptions() {
  const counts = await countQuestions(getDb());
  const sources = Object.entries(counts).map(([name, count]) => ({ name, count }));
  const specs = [
    "human",
    ...new Set([
      ...createModelRegistry()
        .list()
        .map((model) => model.spec),
      ...playableDebaters(),
    ]),
  ];
  return { sources, specs };
}
