import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TelegramSendCounter, type TelegramSendStats } from './telegram-send-stats.js';

export type TelegramCall = { method: string; token: string; body: Record<string, unknown>; at: number; status?: number };
/** Telegram's flood limits on sendMessage: messages in any rolling second (all chats), and the gap between two to one chat. */
export type TelegramLimits = { globalPerSecond: number; perChatIntervalMs: number };
type Fault = { method?: string; chatId?: string | number; response: { status: number; body: unknown }; remaining: number };
export type FakeTelegramOptions = {
  botId?: number;
  username?: string;
  latencyMs?: number;
  /**
   * false: keep counters only (`stats()`), not every call nor the texts that emulate
   * "message is not modified" — for benchmarks that push tens of thousands of calls.
   */
  recordCalls?: boolean;
  /** Numbers a text within its chat for the order check of `stats()` (default: a leading `#<seq> `). */
  sequenceOf?: (text: string) => number | undefined;
};

/**
 * A local stand-in for the Telegram Bot API (`POST /bot<token>/<method>`, JSON bodies,
 * `{ok, result}` / `{ok:false, error_code, description, parameters}` answers), used by
 * the tests and the benchmarks. Records every call (unless told not to) and counts the
 * accepted sends; faults can be queued to return 429s, 400s or 5xx, and Telegram's flood
 * limits enforced.
 */
export class FakeTelegramServer {
  readonly calls: TelegramCall[] = [];
  private server: Server | undefined;
  private faults: Fault[] = [];
  private nextMessageId = 1000;
  /** Text of each message the bot sent, by chat and message id, to emulate "message is not modified". */
  private readonly messages = new Map<string, { text: string; markup: string }>();
  private limits: TelegramLimits | undefined;
  private readonly acceptedSends: number[] = [];
  private readonly lastSendByChat = new Map<string, number>();
  private readonly counter: TelegramSendCounter;
  url = '';

  constructor(private readonly options: FakeTelegramOptions = {}) {
    this.counter = new TelegramSendCounter(options.sequenceOf);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, body }) => {
          const send = () => {
            res.writeHead(status, { 'content-type': 'application/json' });
            res.end(JSON.stringify(body));
          };
          if (this.options.latencyMs) setTimeout(send, this.options.latencyMs);
          else send();
        },
        (err: Error) => {
          this.counter.rejected('error');
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

  /** Makes the next `times` matching calls fail with the given Bot API error. */
  fail(opts: { method?: string; chatId?: string | number; errorCode: number; description: string; retryAfter?: number; times?: number }): void {
    const body = { ok: false, error_code: opts.errorCode, description: opts.description, ...(opts.retryAfter ? { parameters: { retry_after: opts.retryAfter } } : {}) };
    this.faults.push({ method: opts.method, chatId: opts.chatId, response: { status: opts.errorCode, body }, remaining: opts.times ?? 1 });
  }

  /** Answers sendMessage beyond `limits` with 429 and `retry_after` (whole seconds), as Telegram does; undefined: no limits. */
  enforceLimits(limits: TelegramLimits | undefined): void {
    this.limits = limits;
    this.acceptedSends.length = 0;
    this.lastSendByChat.clear();
  }

  /** sendMessage calls to `chatId` (or all) that were accepted (not refused by a fault or a limit). */
  acceptedSendsTo(chatId?: string | number): TelegramCall[] {
    return this.callsTo('sendMessage', chatId).filter((c) => c.status === 200);
  }

  callsTo(method: string, chatId?: string | number): TelegramCall[] {
    return this.calls.filter((c) => c.method === method && (chatId === undefined || String(c.body.chat_id) === String(chatId)));
  }

  /** Counters of every call and accepted send since the start or the last `reset()`. */
  stats(): TelegramSendStats {
    return this.counter.stats();
  }

  /** sendMessage calls accepted for one chat, and when the first of them was. */
  acceptedFor(chatId: string | number): { firstAt: number; count: number } | undefined {
    return this.counter.acceptedFor(chatId);
  }

  /** Forgets the calls, the queued faults and the counters (limits stay as set). */
  reset(): void {
    this.calls.length = 0;
    this.faults = [];
    this.counter.reset();
  }

  private async readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (!raw) return {};
    if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
    return Object.fromEntries(new URLSearchParams(raw));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    if (!m) return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
    const [, token, method] = m as unknown as [string, string, string];
    const body = await this.readBody(req);
    const call: TelegramCall = { method, token, body, at: Date.now() };
    if (this.options.recordCalls !== false) this.calls.push(call);
    this.counter.call(method);
    const answer = this.answer(method, body, call.at);
    call.status = answer.status;
    if (method === 'sendMessage' && answer.status === 200) this.counter.accepted(String(body.chat_id), String(body.text ?? ''), call.at);
    return answer;
  }

  private answer(method: string, body: Record<string, unknown>, now: number): { status: number; body: unknown } {
    const fault = this.faults.find((f) => f.remaining > 0 && (!f.method || f.method === method) && (f.chatId === undefined || String(f.chatId) === String(body.chat_id)));
    if (fault) {
      fault.remaining--;
      return fault.response;
    }
    if (method === 'sendMessage') {
      const limited = this.admit(String(body.chat_id), now);
      if (limited) return limited;
    }
    try {
      return { status: 200, body: { ok: true, result: this.result(method, body) } };
    } catch (err) {
      if (!(err as { notModified?: boolean }).notModified) throw err;
      const description = 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';
      return { status: 400, body: { ok: false, error_code: 400, description } };
    }
  }

  /** Telegram's flood control: a 429 (not counted) when a rolling second is full or the chat's last message is too recent. */
  private admit(chat: string, now: number): { status: number; body: unknown } | undefined {
    if (!this.limits) return undefined;
    const tooMany = (retryAfter: number) => ({ status: 429, body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } } });
    while (this.acceptedSends.length && this.acceptedSends[0]! <= now - 1000) this.acceptedSends.shift();
    if (this.acceptedSends.length >= this.limits.globalPerSecond) {
      this.counter.rejected('global');
      return tooMany(1);
    }
    const last = this.lastSendByChat.get(chat);
    if (last !== undefined && now - last < this.limits.perChatIntervalMs) {
      this.counter.rejected('perChat');
      return tooMany(Math.max(1, Math.ceil((last + this.limits.perChatIntervalMs - now) / 1000)));
    }
    this.acceptedSends.push(now);
    this.lastSendByChat.set(chat, now);
    return undefined;
  }

  private result(method: string, body: Record<string, unknown>): unknown {
    const chat = { id: Number(body.chat_id ?? 0), type: 'private' };
    const from = { id: this.options.botId ?? 42, is_bot: true, first_name: 'SIPAS' };
    switch (method) {
      case 'getMe':
        return { ...from, username: this.options.username ?? 'sipas_test_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
      case 'sendMessage': {
        const message_id = this.nextMessageId++;
        if (this.options.recordCalls !== false) this.messages.set(`${chat.id}:${message_id}`, { text: String(body.text), markup: JSON.stringify(body.reply_markup ?? null) });
        return { message_id, date: Math.floor(Date.now() / 1000), chat, from, text: body.text };
      }
      case 'editMessageText':
      case 'editMessageReplyMarkup': {
        const key = `${chat.id}:${String(body.message_id)}`;
        const prev = this.messages.get(key);
        const next = { text: String(body.text ?? prev?.text ?? ''), markup: JSON.stringify(body.reply_markup ?? null) };
        if (prev && prev.text === next.text && prev.markup === next.markup) {
          throw Object.assign(new Error('not modified'), { notModified: true });
        }
        this.messages.set(key, next);
        return { message_id: Number(body.message_id), date: Math.floor(Date.now() / 1000), chat, from, text: next.text };
      }
      default:
        return true;
    }
  }
}
