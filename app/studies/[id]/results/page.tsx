import Link from "next/link";
import { AccuracyChart } from "@/components/results/accuracy-chart";
import { DebaterTable } from "@/components/results/debater-table";
import { HeadlineCard } from "@/components/results/headline-card";
import { ReliabilityCharts } from "@/components/results/reliability-chart";
import { ResultsFiltersForm } from "@/components/results/results-filters";
import {
  ConditionsTable,
  ConsultancyTable,
  JudgeLeaderboard,
  QuestionsTable,
  RecordedTable,
  RoundsTable,
} from "@/components/results/results-tables";
import { ScoresTable } from "@/components/results/scores-table";
import { StudyForbidden } from "@/components/studies/study-forbidden";
import { getStudyResults, listStudyTags } from "@/lib/analysis/results";
import {
  defaultJudgeKind,
  NO_FILTERS,
  parseResultsFilters,
  type ResultsFilters,
  resultsFiltersQuery,
  type ScreeningSummary,
} from "@/lib/analysis/results-schema";
import { getStudyScores } from "@/lib/analysis/scores";
import { getDb } from "@/lib/db/client";
import { zodErrorMessage } from "@/lib/errors";
import { loadStudyForPage } from "../../access";

export const metadata = { title: "Results — Crux" };

/**
 * A study's results for researchers with access: filters (a GET form), the headline comparison (second request),
 * accuracy and calibration per condition, consultancy honesty, rounds, questions, judges and debaters.
 */
export default async function StudyResultsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const path = `/studies/${encodeURIComponent(id)}/results`;
  const access = await loadStudyForPage(id, path);
  if (!access.ok) return <StudyForbidden message={access.message} />;
  const { study } = access;
  const search = await searchParams;
  const parsed = parseResultsFilters(search);
  const asked = parsed.success ? parsed.data : NO_FILTERS;
  // No kind asked for: one kind of judge, not a mix (defaultJudgeKind); the other is a click away.
  const kindAsked = typeof search.judgeKind === "string" && search.judgeKind.trim() !== "";
  const filters = kindAsked ? asked : { ...asked, judgeKind: defaultJudgeKind(study.config.conditions) };
  const db = getDb();
  const [results, tags, scores] = await Promise.all([
    getStudyResults(db, study.id, filters),
    listStudyTags(db, study.id),
    getStudyScores(db, study.id, filters),
  ]);
  const query = resultsFiltersQuery(filters).toString();
  const filtered = resultsFiltersQuery(kindAsked ? asked : { ...asked, judgeKind: "all" }).toString() !== "";
  const designed = study.config.conditions.map((c) => ({ name: c.name, protocol: c.protocol, judge: c.judge }));
  const extra = results.conditions
    .filter((c) => !designed.some((d) => d.name === c.condition))
    .map((c) => ({ name: c.condition, protocol: c.protocol }));

  return (
    <section className="studies-page results-page">
      <p>
        <Link href={`/studies/${study.id}`}>← {study.name}</Link>
      </p>
      <h1>Results</h1>
      <ResultsFiltersForm action={path} filters={filters} conditions={[...designed, ...extra]} tags={tags} />
      <JudgeKindNote path={path} filters={filters} />
      {!parsed.success && (
        <p role="alert" className="notice">
          Some filters were not understood and were ignored: {zodErrorMessage(parsed.error, { root: "filters" })}
        </p>
      )}
      <p className="muted" data-testid="results-counts">
        {results.verdicts.toLocaleString("en")} verdicts analysed
        {results.excluded.total > 0 &&
          `; ${results.excluded.total.toLocaleString("en")} matches left out (${results.excluded.practice} practice, ${results.excluded.abandoned} abandoned, ${results.excluded.errored} errored, ${results.excluded.participant} by participants who failed the check or qualification, or were removed, ${results.excluded.corrected} excluded by a correction)`}
        {results.pending > 0 && `; ${results.pending} in progress`}.
      </p>
      {results.screening && <ScreeningText screening={results.screening} />}
      {results.verdicts === 0 ? (
        <section className="notice results-empty">
          <h2>{filtered ? "No verdicts match these filters" : "No verdicts yet"}</h2>
          <p>
            {filtered
              ? "Widen the filters or clear them to see every verdict of the study."
              : "No verdicts yet — results appear as judges finish matches."}
          </p>
        </section>
      ) : (
        <>
          <HeadlineCard studyId={study.id} query={query} />
          <h2>Accuracy</h2>
          <AccuracyChart conditions={results.conditions} />
          <ConditionsTable conditions={results.conditions} />
          {results.consultancy.length > 0 && <ConsultancyTable rows={results.consultancy} />}
          {results.recorded.length > 0 && <RecordedTable rows={results.recorded} />}
          <h2>Scores</h2>
          <ScoresTable conditions={scores} />
          <h2>Calibration</h2>
          <ReliabilityCharts conditions={results.conditions} />
          <h2>Rounds</h2>
          <RoundsTable rows={results.byRounds} />
          <h2>Judges</h2>
          <JudgeLeaderboard judges={results.judges} total={results.judgeCount} />
          {results.debaters.length > 0 && (
            <>
              <h2>Debaters</h2>
              <DebaterTable studyId={study.id} query={query} debaters={results.debaters} ratings={results.ratings} />
            </>
          )}
          <h2>Questions</h2>
          <QuestionsTable rows={results.byQuestion} total={results.questionCount} />
        </>
      )}
    </section>
  );
}

const KIND_WORDS = { human: "human judges only", ai: "AI judges only", all: "human and AI judges together" } as const;

/** Which judges the numbers come from, always said, with the other views a click away. */
function JudgeKindNote({ path, filters }: { path: string; filters: ResultsFilters }) {
  const link = (kind: keyof typeof KIND_WORDS) => {
    const params = resultsFiltersQuery({ ...filters, judgeKind: kind });
    params.set("judgeKind", kind);
    return `${path}?${params}`;
  };
  const others = (["human", "ai", "all"] as const).filter((kind) => kind !== filters.judgeKind);
  return (
    <p className="notice" data-testid="results-judge-kind">
      Showing verdicts of <strong>{KIND_WORDS[filters.judgeKind]}</strong>. Show{" "}
      {others.map((kind, index) => (
        <span key={kind}>
          {index > 0 && " or "}
          <a href={link(kind)}>{KIND_WORDS[kind]}</a>
        </span>
      ))}
      .
    </p>
  );
}

/** The qualification's pass rate, with its interval: how selective the screening was. */
function ScreeningText({ screening }: { screening: ScreeningSummary }) {
  const { n, correct, failed, ci } = screening;
  if (n === 0)
    return (
      <p className="muted" data-testid="results-screening">
        Screening: nobody has finished the qualification matches yet.
      </p>
    );
  const rate = (value: number) => `${Math.round(value * 100)}%`;
  return (
    <p className="muted" data-testid="results-screening">
      {`Screening: ${correct} of ${n} participant${n === 1 ? "" : "s"} passed the qualification matches (${rate(correct / n)}`}
      {ci && `, 95% CI ${rate(ci[0])}–${rate(ci[1])}`}
      {`); ${failed} screened out and left out of the analysis.`}
    </p>
  );
}
