-- Rollups are derived data: counts kept by the answers worker, checked and rebuilt from
-- the answers by `npm run scoring:verify [-- --rebuild]`. Their foreign keys cost two
-- referential-integrity lookups (and a KEY SHARE lock on the unit and questionnaire
-- rows) for every rollup row a completion inserts, which was the largest single cost of
-- persisting a completed response (docs/BENCHMARKS.md). Units and questionnaires are
-- never deleted (they are deactivated), so the keys protected nothing in practice.
ALTER TABLE "criterion_rollups" DROP CONSTRAINT IF EXISTS "criterion_rollups_questionnaire_id_fkey";
ALTER TABLE "criterion_rollups" DROP CONSTRAINT IF EXISTS "criterion_rollups_unit_id_fkey";
ALTER TABLE "option_rollups" DROP CONSTRAINT IF EXISTS "option_rollups_questionnaire_id_fkey";
ALTER TABLE "option_rollups" DROP CONSTRAINT IF EXISTS "option_rollups_unit_id_fkey";
ALTER TABLE "criterion_rollups_monthly" DROP CONSTRAINT IF EXISTS "criterion_rollups_monthly_questionnaire_id_fkey";
ALTER TABLE "criterion_rollups_monthly" DROP CONSTRAINT IF EXISTS "criterion_rollups_monthly_unit_id_fkey";
ALTER TABLE "option_rollups_monthly" DROP CONSTRAINT IF EXISTS "option_rollups_monthly_questionnaire_id_fkey";
ALTER TABLE "option_rollups_monthly" DROP CONSTRAINT IF EXISTS "option_rollups_monthly_unit_id_fkey";
