-- AlterTable
-- Written as ADD COLUMN (SQLite allows a foreign key on an added column that defaults to NULL) rather than the table
-- redefinition Prisma's engine prints: dropping "Match" would break the triggers that name it (Turn_immutable_*).
ALTER TABLE "Match" ADD COLUMN "sourceMatchId" TEXT REFERENCES "Match" ("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateIndex
CREATE INDEX "Match_sourceMatchId_idx" ON "Match"("sourceMatchId");
