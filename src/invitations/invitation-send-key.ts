/**
 * Names one sending of an invitation: the same for every retry of it (so a retried job
 * sends nothing twice), new for each officer's resend (its `queuedAt` is new).
 */
export const invitationSendKey = (inv: { id: string; queuedAt: Date | null }): string => `${inv.id}-${inv.queuedAt?.getTime() ?? 0}`;
