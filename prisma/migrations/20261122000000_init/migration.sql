-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('telegram', 'zalo', 'simulator');

-- CreateEnum
CREATE TYPE "InvitationStatus" AS ENUM ('created', 'queued', 'sent', 'opened', 'started', 'completed', 'expired', 'undeliverable', 'opted_out');

-- CreateEnum
CREATE TYPE "ResponseStatus" AS ENUM ('in_progress', 'completed', 'abandoned', 'opted_out');

-- CreateEnum
CREATE TYPE "AnswerStatus" AS ENUM ('answered', 'not_applicable', 'unanswered');

-- CreateEnum
CREATE TYPE "ApiKeyRole" AS ENUM ('admin', 'officer', 'viewer');

-- CreateEnum
CREATE TYPE "OutboundStatus" AS ENUM ('queued', 'sent', 'failed', 'dropped');

-- CreateTable
CREATE TABLE "units" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "parent_code" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "units_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "questionnaires" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "questionnaires_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invitations" (
    "id" UUID NOT NULL,
    "token" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "questionnaire_id" INTEGER NOT NULL,
    "procedure_code" TEXT,
    "dossier_code" TEXT,
    "recipient_phone" TEXT,
    "recipient_chat_id" TEXT,
    "recipient_zalo_id" TEXT,
    "status" "InvitationStatus" NOT NULL DEFAULT 'created',
    "status_reason" TEXT,
    "created_by_key_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "queued_at" TIMESTAMP(3),
    "sent_at" TIMESTAMP(3),
    "opened_at" TIMESTAMP(3),
    "started_at" TIMESTAMP(3),
    "completed_at" TIMESTAMP(3),
    "expired_at" TIMESTAMP(3),
    "expires_at" TIMESTAMP(3) NOT NULL,
    "reminders_sent" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "respondents" (
    "id" UUID NOT NULL,
    "channel" "Channel" NOT NULL,
    "external_id" TEXT NOT NULL,
    "phone" TEXT,
    "opted_out_at" TIMESTAMP(3),
    "unreachable_at" TIMESTAMP(3),
    "unreachable_reason" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "respondents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "responses" (
    "id" UUID NOT NULL,
    "questionnaire_id" INTEGER NOT NULL,
    "unit_id" INTEGER,
    "invitation_id" UUID,
    "respondent_id" UUID,
    "channel" "Channel" NOT NULL,
    "procedure_code" TEXT,
    "status" "ResponseStatus" NOT NULL DEFAULT 'in_progress',
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "completed_at" TIMESTAMP(3),
    "completed_day" DATE,

    CONSTRAINT "responses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "answers" (
    "id" BIGSERIAL NOT NULL,
    "response_id" UUID NOT NULL,
    "question_code" TEXT NOT NULL,
    "status" "AnswerStatus" NOT NULL,
    "score" INTEGER,
    "value" JSONB,
    "seq" INTEGER NOT NULL,
    "answered_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "answers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "criterion_rollups" (
    "questionnaire_id" INTEGER NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "criterion_code" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "c1" INTEGER NOT NULL DEFAULT 0,
    "c2" INTEGER NOT NULL DEFAULT 0,
    "c3" INTEGER NOT NULL DEFAULT 0,
    "c4" INTEGER NOT NULL DEFAULT 0,
    "c5" INTEGER NOT NULL DEFAULT 0,
    "c_na" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "criterion_rollups_pkey" PRIMARY KEY ("questionnaire_id","unit_id","criterion_code","day")
);

-- CreateTable
CREATE TABLE "option_rollups" (
    "questionnaire_id" INTEGER NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "question_code" TEXT NOT NULL,
    "option" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "option_rollups_pkey" PRIMARY KEY ("questionnaire_id","unit_id","question_code","option","day")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "role" "ApiKeyRole" NOT NULL,
    "unit_codes" TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMP(3),
    "last_used_at" TIMESTAMP(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "details" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbound_messages" (
    "id" UUID NOT NULL,
    "channel" "Channel" NOT NULL,
    "recipient" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" "OutboundStatus" NOT NULL DEFAULT 'queued',
    "invitation_id" UUID,
    "platform_message_id" TEXT,
    "error_code" TEXT,
    "error_message" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMP(3),

    CONSTRAINT "outbound_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "zalo_tokens" (
    "oa_id" TEXT NOT NULL,
    "access_token" TEXT NOT NULL,
    "refresh_token" TEXT NOT NULL,
    "access_expires_at" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "zalo_tokens_pkey" PRIMARY KEY ("oa_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "units_code_key" ON "units"("code");

-- CreateIndex
CREATE INDEX "units_group_idx" ON "units"("group");

-- CreateIndex
CREATE UNIQUE INDEX "questionnaires_code_version_key" ON "questionnaires"("code", "version");

-- CreateIndex
CREATE UNIQUE INDEX "invitations_token_key" ON "invitations"("token");

-- CreateIndex
CREATE UNIQUE INDEX "invitations_code_key" ON "invitations"("code");

-- CreateIndex
CREATE INDEX "invitations_status_expires_at_idx" ON "invitations"("status", "expires_at");

-- CreateIndex
CREATE INDEX "invitations_recipient_phone_idx" ON "invitations"("recipient_phone");

-- CreateIndex
CREATE UNIQUE INDEX "invitations_unit_id_dossier_code_key" ON "invitations"("unit_id", "dossier_code");

-- CreateIndex
CREATE UNIQUE INDEX "respondents_channel_external_id_key" ON "respondents"("channel", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "responses_invitation_id_key" ON "responses"("invitation_id");

-- CreateIndex
CREATE INDEX "responses_questionnaire_id_status_completed_day_idx" ON "responses"("questionnaire_id", "status", "completed_day");

-- CreateIndex
CREATE INDEX "responses_respondent_id_status_idx" ON "responses"("respondent_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "answers_response_id_question_code_key" ON "answers"("response_id", "question_code");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "outbound_messages_status_created_at_idx" ON "outbound_messages"("status", "created_at");

-- CreateIndex
CREATE INDEX "outbound_messages_invitation_id_idx" ON "outbound_messages"("invitation_id");

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_questionnaire_id_fkey" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "responses" ADD CONSTRAINT "responses_questionnaire_id_fkey" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "responses" ADD CONSTRAINT "responses_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "responses" ADD CONSTRAINT "responses_invitation_id_fkey" FOREIGN KEY ("invitation_id") REFERENCES "invitations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "responses" ADD CONSTRAINT "responses_respondent_id_fkey" FOREIGN KEY ("respondent_id") REFERENCES "respondents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "answers" ADD CONSTRAINT "answers_response_id_fkey" FOREIGN KEY ("response_id") REFERENCES "responses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "criterion_rollups" ADD CONSTRAINT "criterion_rollups_questionnaire_id_fkey" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "criterion_rollups" ADD CONSTRAINT "criterion_rollups_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "option_rollups" ADD CONSTRAINT "option_rollups_questionnaire_id_fkey" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "option_rollups" ADD CONSTRAINT "option_rollups_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
