/** The targets of issue 6 the figures are read against. */
export const TARGET = { ratio: 4, p99Ms: 25, answersPerSecond: 20_000, reportMs: 200, xlsxMs: 3000 };
