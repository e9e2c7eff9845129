-- AlterTable
ALTER TABLE "Match" ADD COLUMN     "sourceMatchId" TEXT;

-- CreateIndex
CREATE INDEX "Match_sourceMatchId_idx" ON "Match"("sourceMatchId");

-- AddForeignKey
ALTER TABLE "Match" ADD CONSTRAINT "Match_sourceMatchId_fkey" FOREIGN KEY ("sourceMatchId") REFERENCES "Match"("id") ON DELETE SET NULL ON UPDATE CASCADE;
