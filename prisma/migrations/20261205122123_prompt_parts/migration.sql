-- CreateTable
CREATE TABLE "PromptPart" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ModelCall" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "matchId" TEXT,
    "round" INTEGER,
    "role" TEXT NOT NULL,
    "seat" TEXT,
    "model" TEXT NOT NULL,
    "promptVersion" TEXT NOT NULL,
    "promptHash" TEXT NOT NULL,
    "prompt" JSONB NOT NULL,
    "promptParts" JSONB NOT NULL DEFAULT '[]',
    "settings" JSONB NOT NULL DEFAULT '{}',
    "output" TEXT NOT NULL,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "cached" BOOLEAN NOT NULL DEFAULT false,
    "tokensIn" INTEGER,
    "tokensOut" INTEGER,
    "costUsd" REAL,
    "latencyMs" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ModelCall_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ModelCall" ("attempts", "cached", "costUsd", "createdAt", "error", "id", "latencyMs", "matchId", "model", "output", "prompt", "promptHash", "promptVersion", "role", "round", "seat", "settings", "tokensIn", "tokensOut") SELECT "attempts", "cached", "costUsd", "createdAt", "error", "id", "latencyMs", "matchId", "model", "output", "prompt", "promptHash", "promptVersion", "role", "round", "seat", "settings", "tokensIn", "tokensOut" FROM "ModelCall";
DROP TABLE "ModelCall";
ALTER TABLE "new_ModelCall" RENAME TO "ModelCall";
CREATE INDEX "ModelCall_matchId_idx" ON "ModelCall"("matchId");
CREATE INDEX "ModelCall_model_idx" ON "ModelCall"("model");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Existing calls: the story of each call's match (its passage, as JSON.stringify escapes it inside the prompt's
-- JSON text) is cut out and kept once in PromptPart (lib/matches/prompt-parts.ts restores it; offsets count code
-- points, as instr and substr do). Only a story found exactly once and not right after a backslash (which could
-- be half of an escape) is cut; other rows keep their full prompt, which is just as exact.
INSERT INTO "PromptPart" ("id", "text")
SELECT DISTINCT 'passage:' || p."id", p."text"
FROM "ModelCall" c
JOIN "Match" m ON m."id" = c."matchId"
JOIN "Question" q ON q."id" = m."questionId"
JOIN "Passage" p ON p."id" = q."passageId"
WHERE length(p."text") >= 256
  AND instr(c."prompt", substr(json_quote(p."text"), 2, length(json_quote(p."text")) - 2)) > 0
ON CONFLICT DO NOTHING;

UPDATE "ModelCall" SET
  "prompt" = substr(x."prompt", 1, x."pos" - 1) || substr(x."prompt", x."pos" + length(x."needle")),
  "promptParts" = json_array(json_object('part', x."part", 'at', x."pos" - 1))
FROM (
  SELECT c."id", c."prompt", 'passage:' || p."id" AS "part", s."needle", instr(c."prompt", s."needle") AS "pos"
  FROM "ModelCall" c
  JOIN "Match" m ON m."id" = c."matchId"
  JOIN "Question" q ON q."id" = m."questionId"
  JOIN (
    SELECT "id", substr(json_quote("text"), 2, length(json_quote("text")) - 2) AS "needle"
    FROM "Passage"
    WHERE length("text") >= 256
  ) s ON s."id" = q."passageId"
  JOIN "Passage" p ON p."id" = s."id"
) x
WHERE "ModelCall"."id" = x."id"
  AND x."pos" > 1
  AND substr(x."prompt", x."pos" - 1, 1) <> '\'
  AND instr(substr(x."prompt", x."pos" + length(x."needle")), x."needle") = 0;
