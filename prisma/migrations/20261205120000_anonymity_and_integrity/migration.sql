-- Anonymity at rest and an index no one can stuff (issue 16).
--
-- Responses say where they came from (an invitation or an open survey), whether they
-- count, and which data-quality checks they failed. Once a response completes or is
-- abandoned, its links to the invitation and the respondent are cut and its exact times
-- dropped (done by the answers worker; rows stored before this migration are cut by the
-- start-up task `anonymizeAtRest`), so the columns holding those times become nullable.
CREATE TYPE "ResponseSource" AS ENUM ('invited', 'open');
ALTER TABLE "responses" ADD COLUMN "source" "ResponseSource" NOT NULL DEFAULT 'open';
UPDATE "responses" SET "source" = 'invited' WHERE "invitation_id" IS NOT NULL;
ALTER TABLE "responses" ADD COLUMN "counted" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "responses" ADD COLUMN "quality_flags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "responses" ALTER COLUMN "started_at" DROP NOT NULL;
ALTER TABLE "responses" ALTER COLUMN "updated_at" DROP NOT NULL;
ALTER TABLE "answers" ALTER COLUMN "answered_at" DROP NOT NULL;

-- An invitation finds its dossier again through a keyed hash (the plain code is dropped
-- once the survey is done), and keeps only the day it was completed.
ALTER TABLE "invitations" ADD COLUMN "dossier_hash" TEXT;
ALTER TABLE "invitations" ADD COLUMN "completed_day" DATE;
DROP INDEX "invitations_unit_id_dossier_code_key";
CREATE UNIQUE INDEX "invitations_unit_id_dossier_hash_key" ON "invitations"("unit_id", "dossier_hash");
CREATE INDEX "invitations_unit_id_dossier_code_idx" ON "invitations"("unit_id", "dossier_code");

-- Never written: the phone a citizen shares only starts their invitation.
ALTER TABLE "respondents" DROP COLUMN "phone";

-- One counted response per person, unit and period: a keyed hash of all four, linked to nothing.
CREATE TABLE "counted_marks" (
    "mark" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    CONSTRAINT "counted_marks_pkey" PRIMARY KEY ("mark")
);
CREATE INDEX "counted_marks_period_idx" ON "counted_marks"("period");

-- Completed invited responses per invitation creator, unit and day (the volume check).
CREATE TABLE "creator_day_counts" (
    "creator_key_id" UUID NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "completed" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "creator_day_counts_pkey" PRIMARY KEY ("creator_key_id", "unit_id", "day")
);

-- Rollups by segment (bit 1: from an invitation; bit 2: failed a data-quality check), so
-- that reports can count sources apart and leave flagged responses out. The start-up
-- task rebuilds rows stored before this migration (they were all written as segment 0).
ALTER TABLE "criterion_rollups" ADD COLUMN "segment" SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE "criterion_rollups" DROP CONSTRAINT "criterion_rollups_pkey";
ALTER TABLE "criterion_rollups" ADD CONSTRAINT "criterion_rollups_pkey" PRIMARY KEY ("questionnaire_id", "unit_id", "criterion_code", "day", "segment");
ALTER TABLE "option_rollups" ADD COLUMN "segment" SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE "option_rollups" DROP CONSTRAINT "option_rollups_pkey";
ALTER TABLE "option_rollups" ADD CONSTRAINT "option_rollups_pkey" PRIMARY KEY ("questionnaire_id", "unit_id", "question_code", "option", "day", "segment");
ALTER TABLE "criterion_rollups_monthly" ADD COLUMN "segment" SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE "criterion_rollups_monthly" DROP CONSTRAINT "criterion_rollups_monthly_pkey";
ALTER TABLE "criterion_rollups_monthly" ADD CONSTRAINT "criterion_rollups_monthly_pkey" PRIMARY KEY ("questionnaire_id", "unit_id", "criterion_code", "month", "segment");
ALTER TABLE "option_rollups_monthly" ADD COLUMN "segment" SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE "option_rollups_monthly" DROP CONSTRAINT "option_rollups_monthly_pkey";
ALTER TABLE "option_rollups_monthly" ADD CONSTRAINT "option_rollups_monthly_pkey" PRIMARY KEY ("questionnaire_id", "unit_id", "question_code", "option", "month", "segment");

-- Responses that are over but still linked to a person: empty once the start-up task has
-- cut them (and kept empty by the answers worker), so checking for them costs nothing.
CREATE INDEX "responses_still_linked_idx" ON "responses"("id")
    WHERE "status" IN ('completed', 'abandoned') AND ("invitation_id" IS NOT NULL OR "respondent_id" IS NOT NULL);
