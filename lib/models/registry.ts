/**
 * The model registry: turns a spec such as "offline:extractive" into a model. Specs are `provider:model`; each
 * provider is one entry in PROVIDERS, so a real provider (e.g. "anthropic", "openai") is added by writing a
 * ModelProvider and registering it here — nothing else in the app changes.
 */

import { z } from "zod";
import { CruxError } from "../errors";
import { createExtractiveDebater, createHeuristicJudge } from "./offline";
import type { DebaterModel, JudgeModel, ModelInfo } from "./types";

/** Options passed to every debater factory; a provider ignores what it does not use. */
export interface DebaterModelOptions {
  /** Pause between streamed words for models that simulate streaming (the offline debater). */
  wordDelayMs?: number;
}

export type ModelKind = "debater" | "judge";

/** A source of models. `model` is the part of the spec after the first colon. */
export interface ModelProvider {
  /** Returns a debater, or undefined when this provider has no such model. */
  createDebater(model: string, options: DebaterModelOptions): DebaterModel | undefined;
  /** Returns a judge, or undefined when this provider has no such model. */
  createJudge(model: string): JudgeModel | undefined;
  /** What this provider offers, for listings and error messages. */
  list(kind: ModelKind): ModelInfo[];
}

/** Providers backed by a fixed table of model names (enough for offline models; real APIs may compute names). */
function tableProvider(
  debaters: Record<string, (options: DebaterModelOptions) => DebaterModel>,
  judges: Record<string, () => JudgeModel>,
): ModelProvider {
  return {
    createDebater: (model, options) => (Object.hasOwn(debaters, model) ? debaters[model]?.(options) : undefined),
    createJudge: (model) => (Object.hasOwn(judges, model) ? judges[model]?.() : undefined),
    list: (kind) =>
      kind === "debater" ? Object.values(debaters).map((f) => f({}).info) : Object.values(judges).map((f) => f().info),
  };
}

const PROVIDERS: ReadonlyMap<string, ModelProvider> = new Map([
  [
    "offline",
    tableProvider({ extractive: (options) => createExtractiveDebater(options) }, { heuristic: createHeuristicJudge }),
  ],
]);

/** `provider:model`, provider lowercase; the model name may itself contain colons or slashes. */
export const modelSpecSchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9-]*:\S+$/, 'expected "provider:model", e.g. "offline:extractive"')
  .transform((spec) => {
    const colon = spec.indexOf(":");
    return { provider: spec.slice(0, colon), model: spec.slice(colon + 1) };
  });

export type ModelSpec = z.output<typeof modelSpecSchema>;

/** Thrown for a malformed spec or one no provider offers. A BAD_REQUEST, since specs come from users/config. */
export class UnknownModelSpecError extends CruxError {
  constructor(
    readonly spec: string,
    readonly kind: ModelKind,
    readonly available: string[],
    detail?: string,
  ) {
    super(
      "BAD_REQUEST",
      `unknown model spec "${spec}" for a ${kind}${detail ? ` (${detail})` : ""}; available: ${available.join(", ")}`,
    );
    this.name = "UnknownModelSpecError";
  }
}

/** Lists the models on offer; all kinds when `kind` is omitted (debaters first). */
export function listModels(kind?: ModelKind): ModelInfo[] {
  const kinds: ModelKind[] = kind ? [kind] : ["debater", "judge"];
  return kinds.flatMap((k) => [...PROVIDERS.values()].flatMap((p) => p.list(k)));
}

function resolve<T>(spec: string, kind: ModelKind, create: (p: ModelProvider, model: string) => T | undefined): T {
  const available = listModels(kind).map((m) => m.spec);
  const parsed = modelSpecSchema.safeParse(spec);
  if (!parsed.success) {
    throw new UnknownModelSpecError(spec, kind, available, parsed.error.issues[0]?.message);
  }
  const provider = PROVIDERS.get(parsed.data.provider);
  const model = provider ? create(provider, parsed.data.model) : undefined;
  if (!model) {
    throw new UnknownModelSpecError(spec, kind, available, provider ? undefined : "no such provider");
  }
  return model;
}

/** Returns the debater named by `spec`, e.g. "offline:extractive". Throws UnknownModelSpecError otherwise. */
export function getDebaterModel(spec: string, options: DebaterModelOptions = {}): DebaterModel {
  return resolve(spec, "debater", (p, model) => p.createDebater(model, options));
}

/** Returns the judge named by `spec`, e.g. "offline:heuristic". Throws UnknownModelSpecError otherwise. */
export function getJudgeModel(spec: string): JudgeModel {
  return resolve(spec, "judge", (p, model) => p.createJudge(model));
}
