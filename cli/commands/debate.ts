import type { Command } from "commander";
import { z } from "zod";
import type { MatchSnapshot } from "../../lib/debate/view";
import { LIVE_PROTOCOLS } from "../../lib/debate/vocabulary";
import { zodErrorMessage } from "../../lib/errors";
import { createDebateMatch } from "../../lib/matches/create";
import { leasesFromEnv } from "../../lib/matches/leases";
import { createModels } from "../../lib/matches/models";
import { getMatchUsage } from "../../lib/matches/repository";
import { MatchRunner } from "../../lib/matches/runner";
import { checkModelSpec } from "../../lib/models/check-spec";
import { DEFAULT_DEBATER, DEFAULT_JUDGE } from "../../lib/models/resolver";
import { serverProviders } from "../../lib/models/runtime";
import { optionName } from "../options";
import { withDb } from "../with-db";

const optionsSchema = z.object({
  protocol: z.enum(LIVE_PROTOCOLS).default("debate"),
  question: z.string().min(1).default("random"),
  source: z.string().min(1).default("quality"),
  rounds: z.coerce.number().int().min(1).max(10).default(3),
  wordLimit: z.coerce.number().int().min(20).max(1000).default(150),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  debaters: z.string().min(1).default(DEFAULT_DEBATER),
  debaterA: z.string().min(1).optional(),
  debaterB: z.string().min(1).optional(),
  judge: z.string().min(1).default(DEFAULT_JUDGE),
  temperature: z.coerce.number().min(0).max(2).optional(),
  bestOf: z.coerce.number().int().min(1).max(16).optional(),
  cache: z.boolean().default(true),
  json: z.boolean().default(false),
});

/** The stable JSON shape printed by `crux debate --json` (documented in docs/cli.md; keep fields stable). */
export function debateResultJson(
  snapshot: MatchSnapshot,
  judge: string,
  usage: Awaited<ReturnType<typeof getMatchUsage>>,
) {
  const { question, verdict } = snapshot;
  return {
    matchId: snapshot.id,
    protocol: snapshot.config.protocol,
    status: snapshot.status,
    seed: snapshot.config.seed,
    config: snapshot.config,
    question: { id: question.id, text: question.text, options: question.options },
    gold: question.gold,
    debaters: snapshot.debaters.map(({ seat, option, model, honest }) => ({ seat, option, model, honest })),
    judge,
    turns: snapshot.turns.map((t) => ({
      round: t.round,
      speaker: t.speaker,
      option: t.option,
      text: t.text,
      quotes: t.quotes.map((q) => ({ text: q.text, verified: q.verified })),
    })),
    judgeSteps: snapshot.judgeSteps.map((s) => ({
      round: s.round,
      probabilities: s.probabilities,
      action: s.action,
      ...(s.action === "continue" && s.message ? { question: s.message } : {}),
    })),
    verdict: verdict && {
      probabilities: verdict.probabilities,
      chosen: verdict.chosen,
      correct: verdict.correct,
      score: verdict.score,
      rounds: verdict.rounds,
    },
    usage,
    error: snapshot.error,
  };
}

export function registerDebateCommand(program: Command): void {
  program
    .command("debate")
    .description("Run a whole match headlessly (any protocol) with AI debaters and an AI judge, store it, print it")
    .option("--question <id>", 'question id, or "random"', "random")
    .option("--source <set>", "question set for a random question (quality, truthfulqa, or an imported set)")
    .option("--protocol <name>", `debate | interactive | consultancy | naive | expert`, "debate")
    .option("--rounds <n>", "maximum rounds", "3")
    .option("--word-limit <n>", "maximum words per turn", "150")
    .option("--seed <n>", "seed for question choice, seat assignment and offline models")
    .option("--debaters <spec>", "model spec for both debaters", DEFAULT_DEBATER)
    .option("--debater-a <spec>", "model spec for seat A (overrides --debaters)")
    .option("--debater-b <spec>", "model spec for seat B (overrides --debaters)")
    .option("--judge <spec>", "model spec for the judge", DEFAULT_JUDGE)
    .option("--temperature <t>", "sampling temperature for language models (default 0.7)")
    .option("--best-of <n>", "best-of-N debater sampling, picked by the debater's own model (default 1)")
    .option("--no-cache", "do not reuse stored model responses")
    .option("--json", "print one JSON object instead of a readable transcript")
    .action(async (raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) {
        throw new Error(zodErrorMessage(parsed.error, { path: optionName }));
      }
      const opts = parsed.data;
      // Check the specs up front so a typo or a missing key fails before anything is stored.
      const providers = serverProviders();
      const problems = [
        ...(opts.debaterA && opts.debaterB ? [] : [["--debaters", opts.debaters, "debater"] as const]),
        ...(opts.debaterA ? [["--debater-a", opts.debaterA, "debater"] as const] : []),
        ...(opts.debaterB ? [["--debater-b", opts.debaterB, "debater"] as const] : []),
        ["--judge", opts.judge, "judge"] as const,
      ].flatMap(([option, spec, kind]) => {
        const problem = checkModelSpec(spec, kind, { providers });
        return problem ? [`${option}: ${problem}`] : [];
      });
      if (problems.length) throw new Error(problems.join("\n  "));
      const { snapshot, result } = await withDb(
        async (db) => {
          const models = createModels(db, { offlineWordDelayMs: 0, recordedWordDelayMs: 0, cache: opts.cache });
          const debaterModels: [string, string] = [opts.debaterA ?? opts.debaters, opts.debaterB ?? opts.debaters];
          const { id } = await createDebateMatch(db, {
            ...(opts.question === "random" ? { source: opts.source } : { questionId: opts.question }),
            judgeModel: opts.judge,
            debaterModels,
            seed: opts.seed,
            config: {
              protocol: opts.protocol,
              rounds: opts.rounds,
              wordLimit: opts.wordLimit,
              sampling: { temperature: opts.temperature, bestOf: opts.bestOf },
            },
          });
          // Several instances on this database (REDIS_URL): the run's matches are leased, so none takes them over.
          const runner = new MatchRunner({ db, models, leases: leasesFromEnv(db), takeOver: false });
          const snapshot = await runner.runToEnd(id);
          return { snapshot, result: debateResultJson(snapshot, opts.judge, await getMatchUsage(db, id)) };
        },
        { questionBank: true },
      );
      process.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : formatTranscript(result));
      if (snapshot.status === "errored") process.exitCode = 1;
    });
}

function formatTranscript(result: ReturnType<typeof debateResultJson>): string {
  const lines = [`Match ${result.matchId} (seed ${result.seed})`, `Q: ${result.question.text}`];
  result.question.options.forEach((o, i) => {
    lines.push(`  ${i}. ${o}${i === result.gold ? "  [correct]" : ""}`);
  });
  for (const turn of result.turns) {
    const verified = turn.quotes.filter((q) => q.verified).length;
    lines.push(
      "",
      `Round ${turn.round}, debater ${turn.speaker} (for ${turn.option}; ${verified}/${turn.quotes.length} quotes verified):`,
    );
    lines.push(turn.text);
  }
  for (const step of result.judgeSteps) {
    lines.push(
      "",
      `Judge after round ${step.round}: ${step.probabilities.map((p) => p.toFixed(2)).join(" / ")} → ${step.action}`,
    );
  }
  if (result.verdict) {
    const v = result.verdict;
    lines.push("", `Verdict: option ${v.chosen} (${v.correct ? "correct" : "wrong"}), log score ${v.score.toFixed(3)}`);
  }
  const { usage } = result;
  if (usage.calls > 0) {
    const cost = usage.costUsd === null ? "unknown cost" : `$${usage.costUsd.toFixed(4)}`;
    lines.push(
      "",
      `Model calls: ${usage.calls} (${usage.cachedCalls} from cache), ${usage.tokensIn} tokens in, ${usage.tokensOut} out, ${cost}`,
    );
  }
  if (result.error) lines.push("", `Error: ${result.error}`);
  return `${lines.join("\n")}\n`;
}
