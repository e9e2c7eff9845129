import { getDebaterModel, getJudgeModel, listModels } from "./registry";
import type { DebaterModel, JudgeModel, ModelInfo } from "./types";

export const DEFAULT_DEBATER = "offline:extractive";
export const DEFAULT_JUDGE = "offline:heuristic";

/** How the match runner reaches models: by spec, with instances reused across matches. */
export interface ModelResolver {
  debater(spec: string): DebaterModel;
  judge(spec: string): JudgeModel;
  /** Label and kind of a debater or judge spec, for the UI. */
  info(spec: string): ModelInfo;
}

/** A resolver over the registry. `offlineWordDelayMs` paces the offline debater's simulated streaming. */
export function createModelResolver(options: { offlineWordDelayMs: number }): ModelResolver {
  const debaters = new Map<string, DebaterModel>();
  const judges = new Map<string, JudgeModel>();
  const resolver: ModelResolver = {
    debater(spec) {
      let model = debaters.get(spec);
      if (!model) {
        model = getDebaterModel(spec, { wordDelayMs: options.offlineWordDelayMs });
        debaters.set(spec, model);
      }
      return model;
    },
    judge(spec) {
      let model = judges.get(spec);
      if (!model) {
        model = getJudgeModel(spec);
        judges.set(spec, model);
      }
      return model;
    },
    info(spec) {
      const known = listModels().find((m) => m.spec === spec);
      return known ?? { spec, label: spec, isLanguageModel: true };
    },
  };
  return resolver;
}
