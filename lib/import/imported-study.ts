import type { Db } from "../db/client";
import { asJson } from "../db/json";
import { countWords } from "../debate/limits";
import type { Protocol } from "../debate/vocabulary";
import { frozenStudySchema, type StudyCondition, type StudyConfigInput, studyConfigSchema } from "../studies/config";
import { resolveOwner } from "../studies/owner";
import { configHash } from "../studies/plan";
import type { DebateImportError } from "./debate-schema";
import type { ParsedDebate } from "./parse-debates";

/**
 * The Study behind an imported dataset: status "imported", named after the dataset, with a valid study config
 * whose conditions are those found in the data, and a StudyVersion (frozen config + questions, hashed) that every
 * imported match records. A re-import that adds conditions or questions freezes a new version; one that adds
 * nothing keeps the current one.
 */

/** Most conditions a study config allows (lib/studies/config.ts). */
const MAX_CONDITIONS = 12;

export interface ImportedStudy {
  studyId: string;
  versionId: string;
  version: number;
  configHash: string;
  created: boolean;
}

const conditionOf = (debate: ParsedDebate) => debate.condition ?? debate.protocol;
/** Model names become condition specs, which need 3+ characters. */
const asSpec = (model: string | undefined) => {
  const spec = model ?? "human";
  return spec.length >= 3 ? spec : `external:${spec}`;
};

/** The dataset's existing design, when it has been imported before. */
export async function loadImportedConfig(db: Db, studyId: string | null) {
  if (!studyId) return null;
  const study = await db.study.findUniqueOrThrow({ where: { id: studyId }, select: { config: true } });
  return studyConfigSchema.parse(study.config);
}

/**
 * Keeps debates whose condition is consistent (one protocol per condition name, within the file and with the
 * dataset) and fits in the config's 12 conditions; reports the others in `errors`.
 */
export function checkConditions(
  existing: { conditions: readonly StudyCondition[] } | null,
  debates: ParsedDebate[],
  errors: DebateImportError[],
): ParsedDebate[] {
  const protocols = new Map<string, { protocol: Protocol; line: number | null }>();
  for (const c of existing?.conditions ?? []) protocols.set(c.name.toLowerCase(), { protocol: c.protocol, line: null });
  return debates.filter((debate) => {
    const name = conditionOf(debate);
    const known = protocols.get(name.toLowerCase());
    if (known && known.protocol !== debate.protocol) {
      const where = known.line === null ? "in the dataset" : `on line ${known.line}`;
      errors.push({
        line: debate.line,
        message: `condition "${name}" is protocol ${known.protocol} ${where}, not ${debate.protocol}`,
      });
      return false;
    }
    if (!known && protocols.size >= MAX_CONDITIONS) {
      errors.push({
        line: debate.line,
        message: `condition "${name}" would be more than ${MAX_CONDITIONS} conditions in one dataset`,
      });
      return false;
    }
    if (!known) protocols.set(name.toLowerCase(), { protocol: debate.protocol, line: debate.line });
    return true;
  });
}

/** The conditions of the dataset after adding `debates`: rounds and word limits widened to cover them. */
function mergeConditions(existing: readonly StudyCondition[], debates: ParsedDebate[]): StudyConfigInput["conditions"] {
  const byName = new Map<string, StudyConfigInput["conditions"][number]>();
  for (const c of existing) byName.set(c.name.toLowerCase(), { ...c });
  for (const debate of debates) {
    const key = conditionOf(debate).toLowerCase();
    const rounds = Math.max(1, ...debate.turns.map((t) => t.round), debate.verdict.rounds ?? 1);
    const words = Math.max(20, ...debate.turns.map((t) => countWords(t.text)));
    const current = byName.get(key);
    if (current) {
      current.rounds = Math.max(current.rounds ?? 1, rounds);
      current.wordLimit = Math.min(1000, Math.max(current.wordLimit ?? 20, words));
      continue;
    }
    const [a, b] = [debate.debaters.find((d) => d.seat === "A"), debate.debaters.find((d) => d.seat === "B")];
    byName.set(key, {
      name: conditionOf(debate),
      protocol: debate.protocol,
      rounds,
      wordLimit: Math.min(1000, words),
      debaters: b ? [asSpec(a?.model), asSpec(b.model)] : asSpec(a?.model),
      judge: debate.judge.kind === "ai" ? asSpec(debate.judge.model) : "human",
    });
  }
  return [...byName.values()];
}

export interface SaveImportedStudyInput {
  dataset: string;
  /** The dataset's study when it exists already. */
  studyId: string | null;
  /** Owner of a new dataset (email of a researcher or admin); default the first admin (lib/studies/owner.ts). */
  ownerEmail?: string;
  debates: Array<ParsedDebate & { questionId: string }>;
  description: string;
}

/** Creates or updates the dataset's study and returns the version new matches belong to. Call in a transaction. */
export async function saveImportedStudy(db: Db, input: SaveImportedStudyInput): Promise<ImportedStudy> {
  const existing = await loadImportedConfig(db, input.studyId);
  const current = input.studyId
    ? await db.study.findUniqueOrThrow({ where: { id: input.studyId }, select: { currentVersionId: true } })
    : null;
  const currentVersion = current?.currentVersionId
    ? await db.studyVersion.findUnique({ where: { id: current.currentVersionId } })
    : null;
  const previousIds = currentVersion ? frozenStudySchema.parse(currentVersion.config).questionIds : [];
  const questionIds = [...new Set([...previousIds, ...input.debates.map((d) => d.questionId)])].sort();
  const config = studyConfigSchema.parse({
    name: input.dataset,
    description: existing?.description || input.description.slice(0, 5000),
    questions: { source: input.dataset, count: Math.min(10_000, Math.max(1, questionIds.length)), seed: 1 },
    conditions: mergeConditions(existing?.conditions ?? [], input.debates),
  });
  const frozen = frozenStudySchema.parse({ config, questionIds, practiceQuestionId: null });
  const hash = configHash(frozen);

  let studyId = input.studyId;
  if (!studyId) {
    const ownerId = await resolveOwner(db, input.ownerEmail);
    studyId = (
      await db.study.create({
        data: { name: input.dataset, ownerId, status: "imported", config: asJson(config) },
        select: { id: true },
      })
    ).id;
  }
  if (currentVersion && currentVersion.configHash === hash)
    return { studyId, versionId: currentVersion.id, version: currentVersion.version, configHash: hash, created: false };

  const version = await db.studyVersion.create({
    data: { studyId, version: (currentVersion?.version ?? 0) + 1, config: asJson(frozen), configHash: hash },
  });
  await db.study.update({ where: { id: studyId }, data: { config: asJson(config), currentVersionId: version.id } });
  return { studyId, versionId: version.id, version: version.version, configHash: hash, created: !input.studyId };
}
