// Moved to test/support/scoring-database.ts and scoring-fixtures.ts. Kept only for
// scoring-verify-cli.test.ts, which is being reworked on another branch: delete once it
// imports from test/support.
export { createUnits, insertResponses, storeQuestionnaire } from '../support/scoring-database.js';
export { chose, likert } from '../support/scoring-fixtures.js';
