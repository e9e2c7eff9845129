-- CreateTable
CREATE TABLE "Study" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "config" JSONB NOT NULL,
    "currentVersionId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Study_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StudyMember" (
    "studyId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("studyId", "userId"),
    CONSTRAINT "StudyMember_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "StudyMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StudyVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "studyId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "config" JSONB NOT NULL,
    "configHash" TEXT NOT NULL,
    "arrivals" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "StudyVersion_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Slot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "versionId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "storyKey" TEXT NOT NULL,
    "condition" TEXT NOT NULL,
    "replicate" INTEGER NOT NULL,
    "balance" JSONB NOT NULL,
    "rank" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "participantId" TEXT,
    "matchId" TEXT,
    "assignedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Slot_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "StudyVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Slot_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Slot_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Participant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "studyId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "externalId" TEXT,
    "externalStudy" TEXT,
    "externalSession" TEXT,
    "stage" TEXT NOT NULL DEFAULT 'consent',
    "status" TEXT NOT NULL DEFAULT 'active',
    "checkAttempts" INTEGER NOT NULL DEFAULT 0,
    "survey" JSONB NOT NULL DEFAULT '{}',
    "completionCode" TEXT,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "Participant_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Participant_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "StudyVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Participant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StudyRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "studyId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "judge" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "total" INTEGER NOT NULL,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "errored" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "costUsd" REAL NOT NULL DEFAULT 0,
    "heartbeatAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME,
    CONSTRAINT "StudyRun_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "StudyRun_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "StudyVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Match" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "questionId" TEXT NOT NULL,
    "protocol" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "debaters" JSONB NOT NULL,
    "judgeId" TEXT,
    "judgeModel" TEXT,
    "status" TEXT NOT NULL DEFAULT 'waiting',
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "endedAt" DATETIME,
    "studyId" TEXT,
    "studyVersionId" TEXT,
    "condition" TEXT,
    "configHash" TEXT,
    "slotId" TEXT,
    "runId" TEXT,
    "planKey" TEXT,
    "practice" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Match_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Match_judgeId_fkey" FOREIGN KEY ("judgeId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Match_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Match_studyVersionId_fkey" FOREIGN KEY ("studyVersionId") REFERENCES "StudyVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Match_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "Slot" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Match_runId_fkey" FOREIGN KEY ("runId") REFERENCES "StudyRun" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Match" ("config", "createdAt", "debaters", "endedAt", "error", "id", "judgeId", "judgeModel", "protocol", "questionId", "startedAt", "status") SELECT "config", "createdAt", "debaters", "endedAt", "error", "id", "judgeId", "judgeModel", "protocol", "questionId", "startedAt", "status" FROM "Match";
DROP TABLE "Match";
ALTER TABLE "new_Match" RENAME TO "Match";
CREATE INDEX "Match_judgeId_idx" ON "Match"("judgeId");
CREATE INDEX "Match_status_idx" ON "Match"("status");
CREATE INDEX "Match_questionId_idx" ON "Match"("questionId");
CREATE INDEX "Match_studyId_condition_idx" ON "Match"("studyId", "condition");
CREATE INDEX "Match_runId_planKey_idx" ON "Match"("runId", "planKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "StudyMember_userId_idx" ON "StudyMember"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "StudyVersion_studyId_version_key" ON "StudyVersion"("studyId", "version");

-- CreateIndex
CREATE INDEX "Slot_versionId_status_condition_idx" ON "Slot"("versionId", "status", "condition");

-- CreateIndex
CREATE INDEX "Slot_participantId_idx" ON "Slot"("participantId");

-- CreateIndex
CREATE UNIQUE INDEX "Slot_versionId_questionId_condition_replicate_key" ON "Slot"("versionId", "questionId", "condition", "replicate");

-- CreateIndex
CREATE UNIQUE INDEX "Participant_userId_key" ON "Participant"("userId");

-- CreateIndex
CREATE INDEX "Participant_studyId_status_idx" ON "Participant"("studyId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Participant_studyId_externalId_key" ON "Participant"("studyId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Participant_versionId_ordinal_key" ON "Participant"("versionId", "ordinal");

-- CreateIndex
CREATE UNIQUE INDEX "StudyRun_versionId_judge_key" ON "StudyRun"("versionId", "judge");
