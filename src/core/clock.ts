/** The product's one notion of "now": injected everywhere so tests and the engine share it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
