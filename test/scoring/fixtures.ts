// Moved to test/support/scoring-fixtures.ts. Kept only for scoring-verify-cli.test.ts, which
// is being reworked on another branch: delete once it imports from test/support.
export { ONE_FIELD } from '../support/scoring-fixtures.js';
