-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_StudyVerdict" (
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
    "chosen" INTEGER,
    "correct" BOOLEAN NOT NULL,
    "score" REAL NOT NULL,
    "rounds" INTEGER NOT NULL,
    "timeTakenMs" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "StudyVerdict_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_StudyVerdict" ("at", "chosen", "condition", "correct", "debaters", "judgeId", "judgeKey", "matchId", "practice", "probabilities", "protocol", "questionId", "rounds", "score", "seq", "studyId", "timeTakenMs") SELECT "at", "chosen", "condition", "correct", "debaters", "judgeId", "judgeKey", "matchId", "practice", "probabilities", "protocol", "questionId", "rounds", "score", "seq", "studyId", "timeTakenMs" FROM "StudyVerdict";
DROP TABLE "StudyVerdict";
ALTER TABLE "new_StudyVerdict" RENAME TO "StudyVerdict";
CREATE UNIQUE INDEX "StudyVerdict_matchId_key" ON "StudyVerdict"("matchId");
CREATE INDEX "StudyVerdict_studyId_seq_idx" ON "StudyVerdict"("studyId", "seq");
CREATE INDEX "StudyVerdict_studyId_judgeKey_timeTakenMs_idx" ON "StudyVerdict"("studyId", "judgeKey", "timeTakenMs");
CREATE TABLE "new_Verdict" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "matchId" TEXT NOT NULL,
    "probabilities" JSONB NOT NULL,
    "chosen" INTEGER,
    "correct" BOOLEAN NOT NULL,
    "score" REAL NOT NULL,
    "explanation" TEXT,
    "rounds" INTEGER NOT NULL,
    "timeTakenMs" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Verdict_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Verdict" ("chosen", "correct", "createdAt", "explanation", "id", "matchId", "probabilities", "rounds", "score", "timeTakenMs") SELECT "chosen", "correct", "createdAt", "explanation", "id", "matchId", "probabilities", "rounds", "score", "timeTakenMs" FROM "Verdict";
DROP TABLE "Verdict";
ALTER TABLE "new_Verdict" RENAME TO "Verdict";
CREATE UNIQUE INDEX "Verdict_matchId_key" ON "Verdict"("matchId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Redefining "Verdict" dropped its triggers (see 20261204183000_immutable_records): create them again.
CREATE TRIGGER "Verdict_immutable_update" BEFORE UPDATE ON "Verdict"
BEGIN SELECT RAISE(ABORT, 'Verdict rows are immutable: a verdict is never changed'); END;
CREATE TRIGGER "Verdict_immutable_delete" BEFORE DELETE ON "Verdict"
WHEN EXISTS (SELECT 1 FROM "Match" WHERE "id" = OLD."matchId")
BEGIN SELECT RAISE(ABORT, 'Verdict rows are immutable: a verdict is only deleted with its match'); END;
