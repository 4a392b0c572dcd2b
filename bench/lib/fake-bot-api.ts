import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RateLimits = {
  /** Accepted messages per rolling second across all chats (Telegram: about 30). */
  globalPerSecond: number;
  /** Minimum gap between two accepted messages to one chat (Telegram: about 1 s). */
  perChatIntervalMs: number;
};

export type FakeBotApiStats = {
  calls: Record<string, number>;
  accepted: number;
  rejected429Global: number;
  rejected429PerChat: number;
  otherErrors: number;
  firstAcceptedAt: number | null;
  lastAcceptedAt: number | null;
  /** Most messages accepted in any one whole wall-clock second. */
  maxAcceptedInOneSecond: number;
  /** Most messages accepted in any rolling 1,000 ms (what Telegram's global limit counts). */
  maxAcceptedInRollingSecond: number;
  /** Smallest gap between two accepted messages to one chat (null: no chat got two). */
  minChatGapMs: number | null;
  /** Messages with a "#<seq>" marker that arrived after a later one of the same chat. */
  outOfOrder: number;
  chatsWithOutOfOrder: number;
  /** Chats that received a marked message more than once (a repeated send). */
  duplicates: number;
};

/**
 * A light stand-in for the Telegram Bot API for benchmarks: answers `POST /bot<token>/<method>`
 * like Telegram (`{ok, result}`), keeps counters instead of every call, and can enforce
 * Telegram's limits (429 with `parameters.retry_after` in whole seconds). Texts starting
 * with `#<seq> ` are checked for per-chat order.
 */
export class FakeBotApi {
  private server: Server | undefined;
  private nextMessageId = 1;
  private limits: RateLimits | undefined;
  private readonly recent: number[] = [];
  /** Accepted times of the last rolling second, kept with or without limits (for the statistics). */
  private readonly acceptedWindow: number[] = [];
  private readonly lastAcceptedByChat = new Map<string, number>();
  private readonly acceptedByChat = new Map<string, { firstAt: number; count: number }>();
  private readonly lastByChat = new Map<string, number>();
  private readonly seqByChat = new Map<string, number>();
  private readonly seenSeq = new Set<string>();
  private readonly outOfOrderChats = new Set<string>();
  private secondBucket = 0;
  private secondCount = 0;
  private s: FakeBotApiStats = FakeBotApi.empty();
  url = '';

  constructor(private readonly options: { latencyMs?: number } = {}) {}

  private static empty(): FakeBotApiStats {
    return { calls: {}, accepted: 0, rejected429Global: 0, rejected429PerChat: 0, otherErrors: 0, firstAcceptedAt: null, lastAcceptedAt: null, maxAcceptedInOneSecond: 0, maxAcceptedInRollingSecond: 0, minChatGapMs: null, outOfOrder: 0, chatsWithOutOfOrder: 0, duplicates: 0 };
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req).then(
        ({ status, body }) => {
          const send = () => {
            res.writeHead(status, { 'content-type': 'application/json' });
            res.end(JSON.stringify(body));
          };
          if (this.options.latencyMs) setTimeout(send, this.options.latencyMs);
          else send();
        },
        (err: Error) => {
          this.s.otherErrors++;
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error_code: 500, description: err.message }));
        },
      );
    });
    this.server.keepAliveTimeout = 60_000;
    this.server.maxRequestsPerSocket = 0;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  setLimits(limits: RateLimits | undefined): void {
    this.limits = limits;
  }

  reset(): void {
    this.s = FakeBotApi.empty();
    this.recent.length = 0;
    this.acceptedWindow.length = 0;
    this.lastAcceptedByChat.clear();
    this.acceptedByChat.clear();
    this.lastByChat.clear();
    this.seqByChat.clear();
    this.seenSeq.clear();
    this.outOfOrderChats.clear();
    this.secondBucket = 0;
    this.secondCount = 0;
  }

  /** Messages accepted for one chat, and when the first of them was. */
  acceptedFor(chat: string | number): { firstAt: number; count: number } | undefined {
    return this.acceptedByChat.get(String(chat));
  }

  stats(): FakeBotApiStats {
    return { ...this.s, calls: { ...this.s.calls }, chatsWithOutOfOrder: this.outOfOrderChats.size };
  }

  private async readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (!raw) return {};
    if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
    return Object.fromEntries(new URLSearchParams(raw));
  }

  private tooMany(retryAfterS: number) {
    return { status: 429, body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfterS}`, parameters: { retry_after: retryAfterS } } };
  }

  /** Applies the limits to one message to `chat`; returns a 429 answer, or undefined when accepted. */
  private admit(chat: string, now: number) {
    if (!this.limits) return undefined;
    while (this.recent.length && this.recent[0]! <= now - 1000) this.recent.shift();
    if (this.recent.length >= this.limits.globalPerSecond) {
      this.s.rejected429Global++;
      return this.tooMany(Math.max(1, Math.ceil((this.recent[0]! + 1000 - now) / 1000)));
    }
    const last = this.lastByChat.get(chat);
    if (last !== undefined && now - last < this.limits.perChatIntervalMs) {
      this.s.rejected429PerChat++;
      return this.tooMany(Math.max(1, Math.ceil((last + this.limits.perChatIntervalMs - now) / 1000)));
    }
    this.recent.push(now);
    this.lastByChat.set(chat, now);
    return undefined;
  }

  private accepted(chat: string, text: string, now: number): void {
    this.s.accepted++;
    this.s.firstAcceptedAt ??= now;
    this.s.lastAcceptedAt = now;
    const second = Math.floor(now / 1000);
    if (second !== this.secondBucket) {
      this.secondBucket = second;
      this.secondCount = 0;
    }
    this.secondCount++;
    if (this.secondCount > this.s.maxAcceptedInOneSecond) this.s.maxAcceptedInOneSecond = this.secondCount;
    while (this.acceptedWindow.length && this.acceptedWindow[0]! <= now - 1000) this.acceptedWindow.shift();
    this.acceptedWindow.push(now);
    if (this.acceptedWindow.length > this.s.maxAcceptedInRollingSecond) this.s.maxAcceptedInRollingSecond = this.acceptedWindow.length;
    const previous = this.lastAcceptedByChat.get(chat);
    if (previous !== undefined && (this.s.minChatGapMs === null || now - previous < this.s.minChatGapMs)) this.s.minChatGapMs = now - previous;
    this.lastAcceptedByChat.set(chat, now);
    const mine = this.acceptedByChat.get(chat);
    if (mine) mine.count++;
    else this.acceptedByChat.set(chat, { firstAt: now, count: 1 });
    const m = /^#(\d+) /.exec(text);
    if (!m) return;
    const seq = Number(m[1]);
    const key = `${chat}#${seq}`;
    if (this.seenSeq.has(key)) this.s.duplicates++;
    this.seenSeq.add(key);
    const prev = this.seqByChat.get(chat) ?? 0;
    if (seq < prev) {
      this.s.outOfOrder++;
      this.outOfOrderChats.add(chat);
    } else this.seqByChat.set(chat, seq);
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    if (!m) return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
    const method = m[2]!;
    const body = await this.readBody(req);
    this.s.calls[method] = (this.s.calls[method] ?? 0) + 1;
    const chatId = Number(body.chat_id ?? 0);
    const chat = { id: chatId, type: 'private', first_name: 'Công dân' };
    const from = { id: 42, is_bot: true, first_name: 'SIPAS', username: 'sipas_bench_bot' };
    const now = Date.now();
    switch (method) {
      case 'getMe':
        return { status: 200, body: { ok: true, result: { ...from, can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false } } };
      case 'sendMessage': {
        const limited = this.admit(String(chatId), now);
        if (limited) return limited;
        this.accepted(String(chatId), String(body.text ?? ''), now);
        return { status: 200, body: { ok: true, result: { message_id: this.nextMessageId++, date: Math.floor(now / 1000), chat, from, text: body.text } } };
      }
      case 'editMessageText':
      case 'editMessageReplyMarkup':
        return { status: 200, body: { ok: true, result: { message_id: Number(body.message_id ?? 0), date: Math.floor(now / 1000), chat, from, text: String(body.text ?? '…') } } };
      default:
        return { status: 200, body: { ok: true, result: true } };
    }
  }
}
