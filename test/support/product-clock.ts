import { afterEach } from 'vitest';

/** The product's clock (startProduct's `now`): real time plus an offset a test may set. */
export type ProductClock = {
  /** How far the product's clock runs from real time; back to 0 after each test. */
  offsetMs: number;
  now(): number;
  date(): Date;
};

/**
 * A clock a test can move (to put the OA in its night window, or let a reminder fall due)
 * without waiting. The offset is reset after each test, so a failing test cannot leave
 * the next one in another day.
 */
export function useProductClock(): ProductClock {
  const clock: ProductClock = {
    offsetMs: 0,
    now: () => Date.now() + clock.offsetMs,
    date: () => new Date(clock.now()),
  };
  afterEach(() => {
    clock.offsetMs = 0;
  });
  return clock;
}
