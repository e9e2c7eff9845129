-- PostgreSQL baseline: the schema of the SQLite migrations up to 20261205115855_match_tags, rendered by
-- Prisma's schema engine from prisma/postgresql/schema.prisma, plus the hand-written triggers at the end.

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "emailVerified" TIMESTAMP(3),
    "image" TEXT,
    "role" TEXT NOT NULL DEFAULT 'guest',
    "passwordHash" TEXT,
    "sessionsRevokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "sessionToken" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VerificationToken" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL
);

-- CreateTable
CREATE TABLE "Passage" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "license" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Passage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Question" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "passageId" TEXT,
    "text" TEXT NOT NULL,
    "options" JSONB NOT NULL,
    "gold" INTEGER NOT NULL,
    "tags" JSONB NOT NULL DEFAULT '[]',
    "license" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Question_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Match" (
    "id" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "protocol" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "debaters" JSONB NOT NULL,
    "judgeId" TEXT,
    "judgeModel" TEXT,
    "status" TEXT NOT NULL DEFAULT 'waiting',
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "studyId" TEXT,
    "studyVersionId" TEXT,
    "condition" TEXT,
    "configHash" TEXT,
    "slotId" TEXT,
    "runId" TEXT,
    "planKey" TEXT,
    "practice" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Match_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Turn" (
    "id" TEXT NOT NULL,
    "matchId" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "speaker" TEXT NOT NULL,
    "option" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "quotes" JSONB NOT NULL,
    "model" TEXT NOT NULL,
    "promptVersion" TEXT,
    "promptHash" TEXT,
    "tokensIn" INTEGER,
    "tokensOut" INTEGER,
    "latencyMs" INTEGER NOT NULL,
    "meta" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Turn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JudgeStep" (
    "id" TEXT NOT NULL,
    "matchId" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "probabilities" JSONB NOT NULL,
    "action" TEXT NOT NULL,
    "message" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JudgeStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Verdict" (
    "id" TEXT NOT NULL,
    "matchId" TEXT NOT NULL,
    "probabilities" JSONB NOT NULL,
    "chosen" INTEGER NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "explanation" TEXT,
    "rounds" INTEGER NOT NULL,
    "timeTakenMs" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Verdict_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StudyVerdict" (
    "seq" SERIAL NOT NULL,
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
    "score" DOUBLE PRECISION NOT NULL,
    "rounds" INTEGER NOT NULL,
    "timeTakenMs" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StudyVerdict_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "Event" (
    "id" SERIAL NOT NULL,
    "matchId" TEXT,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelCall" (
    "id" TEXT NOT NULL,
    "matchId" TEXT,
    "round" INTEGER,
    "role" TEXT NOT NULL,
    "seat" TEXT,
    "model" TEXT NOT NULL,
    "promptVersion" TEXT NOT NULL,
    "promptHash" TEXT NOT NULL,
    "prompt" JSONB NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "output" TEXT NOT NULL,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "cached" BOOLEAN NOT NULL DEFAULT false,
    "tokensIn" INTEGER,
    "tokensOut" INTEGER,
    "costUsd" DOUBLE PRECISION,
    "latencyMs" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelCall_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelResponse" (
    "key" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "output" TEXT NOT NULL,
    "tokensIn" INTEGER,
    "tokensOut" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelResponse_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Study" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "config" JSONB NOT NULL,
    "currentVersionId" TEXT,
    "exportKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Study_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StudyMember" (
    "studyId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StudyMember_pkey" PRIMARY KEY ("studyId","userId")
);

-- CreateTable
CREATE TABLE "StudyVersion" (
    "id" TEXT NOT NULL,
    "studyId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "config" JSONB NOT NULL,
    "configHash" TEXT NOT NULL,
    "arrivals" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StudyVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Slot" (
    "id" TEXT NOT NULL,
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
    "assignedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Slot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Participant" (
    "id" TEXT NOT NULL,
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
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Participant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CheckAttempt" (
    "id" TEXT NOT NULL,
    "participantId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "answers" JSONB NOT NULL,
    "correct" INTEGER NOT NULL,
    "questions" INTEGER NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CheckAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StudyRun" (
    "id" TEXT NOT NULL,
    "studyId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "judge" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "total" INTEGER NOT NULL,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "errored" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "StudyRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" SERIAL NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Correction" (
    "id" SERIAL NOT NULL,
    "studyId" TEXT NOT NULL,
    "matchId" TEXT,
    "targetKind" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Correction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MatchTag" (
    "matchId" TEXT NOT NULL,
    "tag" TEXT NOT NULL,

    CONSTRAINT "MatchTag_pkey" PRIMARY KEY ("matchId","tag")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Account_userId_idx" ON "Account"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Account_provider_providerAccountId_key" ON "Account"("provider", "providerAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "Session_sessionToken_key" ON "Session"("sessionToken");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationToken_token_key" ON "VerificationToken"("token");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationToken_identifier_token_key" ON "VerificationToken"("identifier", "token");

-- CreateIndex
CREATE UNIQUE INDEX "Passage_source_externalId_key" ON "Passage"("source", "externalId");

-- CreateIndex
CREATE INDEX "Question_source_idx" ON "Question"("source");

-- CreateIndex
CREATE INDEX "Question_passageId_idx" ON "Question"("passageId");

-- CreateIndex
CREATE UNIQUE INDEX "Question_source_externalId_key" ON "Question"("source", "externalId");

-- CreateIndex
CREATE INDEX "Match_judgeId_idx" ON "Match"("judgeId");

-- CreateIndex
CREATE INDEX "Match_status_idx" ON "Match"("status");

-- CreateIndex
CREATE INDEX "Match_questionId_idx" ON "Match"("questionId");

-- CreateIndex
CREATE INDEX "Match_studyId_condition_idx" ON "Match"("studyId", "condition");

-- CreateIndex
CREATE INDEX "Match_runId_planKey_idx" ON "Match"("runId", "planKey");

-- CreateIndex
CREATE INDEX "Match_study_status_idx" ON "Match"("studyId", "status", "condition", "protocol", "practice", "judgeId", "endedAt", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Turn_matchId_round_speaker_key" ON "Turn"("matchId", "round", "speaker");

-- CreateIndex
CREATE UNIQUE INDEX "JudgeStep_matchId_round_key" ON "JudgeStep"("matchId", "round");

-- CreateIndex
CREATE UNIQUE INDEX "Verdict_matchId_key" ON "Verdict"("matchId");

-- CreateIndex
CREATE UNIQUE INDEX "StudyVerdict_matchId_key" ON "StudyVerdict"("matchId");

-- CreateIndex
CREATE INDEX "StudyVerdict_studyId_seq_idx" ON "StudyVerdict"("studyId", "seq");

-- CreateIndex
CREATE INDEX "StudyVerdict_studyId_judgeKey_timeTakenMs_idx" ON "StudyVerdict"("studyId", "judgeKey", "timeTakenMs");

-- CreateIndex
CREATE INDEX "Event_matchId_idx" ON "Event"("matchId");

-- CreateIndex
CREATE INDEX "ModelCall_matchId_idx" ON "ModelCall"("matchId");

-- CreateIndex
CREATE INDEX "ModelCall_model_idx" ON "ModelCall"("model");

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
CREATE UNIQUE INDEX "CheckAttempt_participantId_attempt_key" ON "CheckAttempt"("participantId", "attempt");

-- CreateIndex
CREATE UNIQUE INDEX "StudyRun_versionId_judge_key" ON "StudyRun"("versionId", "judge");

-- CreateIndex
CREATE INDEX "AuditLog_createdAt_idx" ON "AuditLog"("createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_actorId_createdAt_idx" ON "AuditLog"("actorId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_action_createdAt_idx" ON "AuditLog"("action", "createdAt");

-- CreateIndex
CREATE INDEX "Correction_studyId_targetKind_targetId_id_idx" ON "Correction"("studyId", "targetKind", "targetId", "id");

-- CreateIndex
CREATE INDEX "MatchTag_tag_idx" ON "MatchTag"("tag");

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_passageId_fkey" FOREIGN KEY ("passageId") REFERENCES "Passage"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Match" ADD CONSTRAINT "Match_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Match" ADD CONSTRAINT "Match_judgeId_fkey" FOREIGN KEY ("judgeId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Match" ADD CONSTRAINT "Match_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Match" ADD CONSTRAINT "Match_studyVersionId_fkey" FOREIGN KEY ("studyVersionId") REFERENCES "StudyVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Match" ADD CONSTRAINT "Match_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "Slot"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Match" ADD CONSTRAINT "Match_runId_fkey" FOREIGN KEY ("runId") REFERENCES "StudyRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Turn" ADD CONSTRAINT "Turn_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JudgeStep" ADD CONSTRAINT "JudgeStep_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Verdict" ADD CONSTRAINT "Verdict_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyVerdict" ADD CONSTRAINT "StudyVerdict_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelCall" ADD CONSTRAINT "ModelCall_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Study" ADD CONSTRAINT "Study_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyMember" ADD CONSTRAINT "StudyMember_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyMember" ADD CONSTRAINT "StudyMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyVersion" ADD CONSTRAINT "StudyVersion_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Slot" ADD CONSTRAINT "Slot_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "StudyVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Slot" ADD CONSTRAINT "Slot_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Slot" ADD CONSTRAINT "Slot_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Participant" ADD CONSTRAINT "Participant_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Participant" ADD CONSTRAINT "Participant_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "StudyVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Participant" ADD CONSTRAINT "Participant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckAttempt" ADD CONSTRAINT "CheckAttempt_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyRun" ADD CONSTRAINT "StudyRun_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyRun" ADD CONSTRAINT "StudyRun_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "StudyVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Correction" ADD CONSTRAINT "Correction_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MatchTag" ADD CONSTRAINT "MatchTag_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (Prisma's schema does not describe triggers), ported from the SQLite migrations
-- 20261204183000_immutable_records, 20261204183229_audit_log and 20261205073039_corrections.
-- Verdicts and completed turns are records of what happened: once written they never change; a correction is a new
-- record with its reason, never an edit. Any UPDATE is refused, and any DELETE except the cascade that removes the
-- whole match (or study): the cascade runs after the parent row is gone, so the parent no longer exists then. The
-- audit log is append-only without exception. A refused write fails with SQLSTATE 23001 (restrict_violation) and
-- the message below, which lib/db/errors.ts `immutableRecordViolation` reads (docs/database.md).

CREATE FUNCTION "crux_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = TG_ARGV[0];
END;
$$;

-- TG_ARGV: the message, then the parent table and the child's column that references it.
CREATE FUNCTION "crux_refuse_delete_unless_parent_gone"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  parent_exists boolean;
BEGIN
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE "id" = $1.%I)', TG_ARGV[1], TG_ARGV[2])
    INTO parent_exists USING OLD;
  IF parent_exists THEN
    RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = TG_ARGV[0];
  END IF;
  RETURN OLD;
END;
$$;

CREATE TRIGGER "Turn_immutable_update" BEFORE UPDATE ON "Turn" FOR EACH ROW
EXECUTE FUNCTION "crux_refuse_change"('Turn rows are immutable: a completed turn is never changed');
CREATE TRIGGER "Turn_immutable_delete" BEFORE DELETE ON "Turn" FOR EACH ROW
EXECUTE FUNCTION "crux_refuse_delete_unless_parent_gone"(
  'Turn rows are immutable: a completed turn is only deleted with its match', 'Match', 'matchId');

CREATE TRIGGER "Verdict_immutable_update" BEFORE UPDATE ON "Verdict" FOR EACH ROW
EXECUTE FUNCTION "crux_refuse_change"('Verdict rows are immutable: a verdict is never changed');
CREATE TRIGGER "Verdict_immutable_delete" BEFORE DELETE ON "Verdict" FOR EACH ROW
EXECUTE FUNCTION "crux_refuse_delete_unless_parent_gone"(
  'Verdict rows are immutable: a verdict is only deleted with its match', 'Match', 'matchId');

CREATE TRIGGER "AuditLog_append_only_update" BEFORE UPDATE ON "AuditLog" FOR EACH ROW
EXECUTE FUNCTION "crux_refuse_change"('AuditLog rows are immutable: the audit log is append-only');
CREATE TRIGGER "AuditLog_append_only_delete" BEFORE DELETE ON "AuditLog" FOR EACH ROW
EXECUTE FUNCTION "crux_refuse_change"('AuditLog rows are immutable: the audit log is append-only');

CREATE TRIGGER "Correction_append_only_update" BEFORE UPDATE ON "Correction" FOR EACH ROW
EXECUTE FUNCTION "crux_refuse_change"('Correction rows are immutable: a correction is superseded by a new one, never changed');
CREATE TRIGGER "Correction_append_only_delete" BEFORE DELETE ON "Correction" FOR EACH ROW
EXECUTE FUNCTION "crux_refuse_delete_unless_parent_gone"(
  'Correction rows are immutable: a correction is only deleted with its study', 'Study', 'studyId');
