/** What the rounds routes tell the rest of the process: a round changed (reload the calendar) or closed (forget its frame). */
export type RoundEvents = { changed(): void; closed(roundId: number): Promise<void> };
