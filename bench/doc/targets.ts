/** The targets of issue 6 the figures are read against. */
export const TARGET = { ratio: 4, p99Ms: 25, answersPerSecond: 20_000, reportMs: 200, xlsxMs: 3000 };
/** The targets of issue 20 the hostile-traffic figures are read against. */
export const HOSTILE_TARGET = { ackP99Ms: 100, stallMs: 100 };
