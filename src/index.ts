/**
 * The product's public entry point, for integrators embedding sipas-chat in a process of
 * their own and for the benchmarks (which reach the product through this module, the HTTP
 * API and the command-line tools only). Everything else under src/ is internal and may
 * change without notice.
 */

/** Configuration from the environment, validated once (`ConfigError` names every bad variable). */
export { loadConfig, ConfigError, type AppConfig } from './config/load-config.js';

/** The migration runner `npm start` and `npm run db:migrate` use: creates the database if needed, applies pending migrations. */
export { migrate, MigrationError, type MigrationResult } from './db/migrate.js';

/** Questionnaires as data: the built-in definitions (or those of another folder), their types, and storing them. */
export { latestBuiltinQuestionnaire, loadBuiltinQuestionnaires } from './questionnaire/builtin-questionnaires.js';
export type { QuestionnaireDefinition, Question, Condition } from './questionnaire/definition-schema.js';
export { seedQuestionnaires, type SeedResult } from './questionnaire/questionnaire-catalog.js';

/** The app factory: web role, worker role or both over one context (`RunningApp.ctx`); `close()` drains and disconnects. */
export { startApp, type RunningApp, type StartOptions } from './runtime/start-app.js';

/**
 * The one entry point every channel uses to advance a citizen's conversation; its outboxes
 * go to the outbox stream, which the workers' relay hands to the queues (`outboxHandOver`).
 */
export { ConversationService, outboxHandOver, type ConversationRequest } from './conversations/conversation-service.js';
export { OutboxRelay } from './conversations/outbox-relay.js';
export { outboxStreamKey, type OutboxEntry } from './conversations/outbox-stream.js';
export type { ChannelInput } from './conversations/channel-input.js';

/** The pure conversation engine (channel-agnostic; what a custom channel renders and feeds). */
export * from './engine/index.js';

/** The SIPAS index report of a questionnaire over a period — what `GET /api/v1/reports/index` serialises. */
export { loadIndexReport, type IndexReportQuery } from './scoring/load-index-report.js';
export type { IndexReport } from './scoring/report-schema.js';
