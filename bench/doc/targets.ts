/** The targets of issue 6 the figures are read against. */
export const TARGET = { ratio: 4, p99Ms: 25, answersPerSecond: 20_000, reportMs: 200, xlsxMs: 3000 };
/** The targets of issue 20 the hostile-traffic figures are read against. */
export const HOSTILE_TARGET = { ackP99Ms: 100, stallMs: 100 };
/** The webhook targets of the throughput issue: ratios of acked updates/s (median of the top level's rounds), and the fixed-rate open loop. */
export const WEBHOOK_TARGET = { vsGrammy: 5, vsBare: 0.35, openRate: 1000, p99Ms: 50, loopP99Ms: 20, lost: 0 };
