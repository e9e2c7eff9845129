-- DropIndex
DROP INDEX "Match_results_idx";

-- CreateTable
CREATE TABLE "StudyVerdict" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "matchId" TEXT NOT NULL,
    "studyId" TEXT NOT NULL,
    "condition" TEXT,
    "protocol" TEXT NOT NULL,
    "practice" BOOLEAN NOT NULL,
    "judgeKey" TEXT NOT NULL,
    "judgeId" TEXT,
    "questionId" TEXT NOT NULL,
    "debaters" JSONB NOT NULL,
    "probabilities" JSONB NOT NULL,
    "chosen" INTEGER NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "score" REAL NOT NULL,
    "rounds" INTEGER NOT NULL,
    "timeTakenMs" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "StudyVerdict_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "StudyVerdict_matchId_key" ON "StudyVerdict"("matchId");

-- CreateIndex
CREATE INDEX "StudyVerdict_studyId_seq_idx" ON "StudyVerdict"("studyId", "seq");

-- CreateIndex
CREATE INDEX "StudyVerdict_studyId_judgeKey_timeTakenMs_idx" ON "StudyVerdict"("studyId", "judgeKey", "timeTakenMs");

-- CreateIndex
CREATE INDEX "Match_study_status_idx" ON "Match"("studyId", "status", "condition", "protocol", "practice", "judgeId", "endedAt", "createdAt");

-- Backfill: the verdicts of study matches given before this migration, oldest first.
INSERT INTO "StudyVerdict" ("matchId", "studyId", "condition", "protocol", "practice", "judgeKey", "judgeId", "questionId", "debaters", "probabilities", "chosen", "correct", "score", "rounds", "timeTakenMs", "at")
SELECT m."id", m."studyId", m."condition", m."protocol", m."practice", COALESCE(m."judgeId", m."judgeModel", 'unknown'), m."judgeId", m."questionId", m."debaters", v."probabilities", v."chosen", v."correct", v."score", v."rounds", v."timeTakenMs", v."createdAt"
FROM "Match" m JOIN "Verdict" v ON v."matchId" = m."id"
WHERE m."studyId" IS NOT NULL
ORDER BY v."createdAt", m."id";
