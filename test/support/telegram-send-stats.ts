/** What a fake Bot API saw of the bot's sendMessage calls (the benchmarks read it; tests may too). */
export type TelegramSendStats = {
  /** Calls by Bot API method, whatever their answer. */
  calls: Record<string, number>;
  accepted: number;
  rejected429Global: number;
  rejected429PerChat: number;
  /** Requests the fake itself failed on (500). */
  otherErrors: number;
  firstAcceptedAt: number | null;
  lastAcceptedAt: number | null;
  /** Most messages accepted in any one whole wall-clock second. */
  maxAcceptedInOneSecond: number;
  /** Most messages accepted in any rolling 1,000 ms (what Telegram's global limit counts). */
  maxAcceptedInRollingSecond: number;
  /** Smallest gap between two accepted messages to one chat (null: no chat got two). */
  minChatGapMs: number | null;
  /** Accepted messages `sequenceOf` could number: the order check below covers these. */
  sequenced: number;
  /** Marked messages (see `sequenceOf`) that arrived after a later one of the same chat. */
  outOfOrder: number;
  chatsWithOutOfOrder: number;
  /** Marked messages a chat received more than once (a repeated send). */
  duplicates: number;
};

/** Texts starting with `#<seq> ` carry their position in the chat's sequence. */
export const leadingSequence = (text: string): number | undefined => {
  const m = /^#(\d+) /.exec(text);
  return m ? Number(m[1]) : undefined;
};

/**
 * Counters over accepted sends, kept without storing the messages, so a benchmark can
 * push tens of thousands through a fake: rates per wall-clock and rolling second, the
 * least gap within a chat, and — for texts `sequenceOf` can number — per-chat order and
 * repeats.
 */
export class TelegramSendCounter {
  private s: TelegramSendStats = TelegramSendCounter.empty();
  private readonly window: number[] = [];
  private readonly lastByChat = new Map<string, number>();
  private readonly byChat = new Map<string, { firstAt: number; count: number }>();
  private readonly seqByChat = new Map<string, number>();
  private readonly seenSeq = new Set<string>();
  private readonly outOfOrderChats = new Set<string>();
  private secondBucket = 0;
  private secondCount = 0;

  constructor(private readonly sequenceOf: (text: string) => number | undefined = leadingSequence) {}

  private static empty(): TelegramSendStats {
    return { calls: {}, accepted: 0, rejected429Global: 0, rejected429PerChat: 0, otherErrors: 0, firstAcceptedAt: null, lastAcceptedAt: null, maxAcceptedInOneSecond: 0, maxAcceptedInRollingSecond: 0, minChatGapMs: null, sequenced: 0, outOfOrder: 0, chatsWithOutOfOrder: 0, duplicates: 0 };
  }

  call(method: string): void {
    this.s.calls[method] = (this.s.calls[method] ?? 0) + 1;
  }

  rejected(kind: 'global' | 'perChat' | 'error'): void {
    if (kind === 'global') this.s.rejected429Global++;
    else if (kind === 'perChat') this.s.rejected429PerChat++;
    else this.s.otherErrors++;
  }

  accepted(chat: string, text: string, now: number): void {
    const s = this.s;
    s.accepted++;
    s.firstAcceptedAt ??= now;
    s.lastAcceptedAt = now;
    const second = Math.floor(now / 1000);
    if (second !== this.secondBucket) {
      this.secondBucket = second;
      this.secondCount = 0;
    }
    s.maxAcceptedInOneSecond = Math.max(s.maxAcceptedInOneSecond, ++this.secondCount);
    while (this.window.length && this.window[0]! <= now - 1000) this.window.shift();
    this.window.push(now);
    s.maxAcceptedInRollingSecond = Math.max(s.maxAcceptedInRollingSecond, this.window.length);
    const previous = this.lastByChat.get(chat);
    if (previous !== undefined && (s.minChatGapMs === null || now - previous < s.minChatGapMs)) s.minChatGapMs = now - previous;
    this.lastByChat.set(chat, now);
    const mine = this.byChat.get(chat);
    if (mine) mine.count++;
    else this.byChat.set(chat, { firstAt: now, count: 1 });
    this.checkOrder(chat, text);
  }

  private checkOrder(chat: string, text: string): void {
    const seq = this.sequenceOf(text);
    if (seq === undefined) return;
    this.s.sequenced++;
    const key = `${chat}#${seq}`;
    if (this.seenSeq.has(key)) this.s.duplicates++;
    this.seenSeq.add(key);
    if (seq < (this.seqByChat.get(chat) ?? 0)) {
      this.s.outOfOrder++;
      this.outOfOrderChats.add(chat);
    } else this.seqByChat.set(chat, seq);
  }

  /** Messages accepted for one chat, and when the first of them was. */
  acceptedFor(chat: string | number): { firstAt: number; count: number } | undefined {
    return this.byChat.get(String(chat));
  }

  stats(): TelegramSendStats {
    return { ...this.s, calls: { ...this.s.calls }, chatsWithOutOfOrder: this.outOfOrderChats.size };
  }

  reset(): void {
    this.s = TelegramSendCounter.empty();
    this.window.length = 0;
    this.lastByChat.clear();
    this.byChat.clear();
    this.seqByChat.clear();
    this.seenSeq.clear();
    this.outOfOrderChats.clear();
    this.secondBucket = 0;
    this.secondCount = 0;
  }
}
