import "server-only";
import { getDb } from "@/lib/db/client";
import { playableDebaters } from "@/lib/matches/start-guest-match";
import { listModelChoices } from "@/lib/models/catalog";
import { serverProviders } from "@/lib/models/runtime";
import { countQuestions } from "@/lib/questions/queries";

/**
 * What the design form offers: the question sets in the database with their sizes, and the models to choose from
 * by role (offline models, those offered for play, and those the configured providers list); any other spec can
 * still be typed, and is checked.
 */
export async function studyFormOptions() {
  const counts = await countQuestions(getDb());
  const sources = Object.entries(counts).map(([name, count]) => ({ name, count }));
  const models = await listModelChoices(serverProviders(), { debater: playableDebaters() });
  // `specs`: the AI judges, for the study page's automated run.
  return { sources, models, specs: models.judge.map((m) => m.spec) };
}
