-- AlterTable
ALTER TABLE "Match" ADD COLUMN "requestKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Match_requestKey_key" ON "Match"("requestKey");
