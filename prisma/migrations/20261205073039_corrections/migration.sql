-- CreateTable
CREATE TABLE "Correction" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "studyId" TEXT NOT NULL,
    "matchId" TEXT,
    "targetKind" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Correction_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Correction_studyId_targetKind_targetId_id_idx" ON "Correction"("studyId", "targetKind", "targetId", "id");

-- Append-only: a correction is never changed; a later correction of the same target supersedes it. Rows go only with
-- their study (the cascade runs after the study row is gone). A migration that redefines this table must create
-- these triggers again (docs/database.md, "Immutable records").
CREATE TRIGGER "Correction_append_only_update" BEFORE UPDATE ON "Correction"
BEGIN SELECT RAISE(ABORT, 'Correction rows are immutable: a correction is superseded by a new one, never changed'); END;
CREATE TRIGGER "Correction_append_only_delete" BEFORE DELETE ON "Correction"
WHEN EXISTS (SELECT 1 FROM "Study" WHERE "id" = OLD."studyId")
BEGIN SELECT RAISE(ABORT, 'Correction rows are immutable: a correction is only deleted with its study'); END;
