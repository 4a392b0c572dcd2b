import { createHash } from 'node:crypto';
import type { RedisClient } from '../queues/redis-connection.js';
import { userHash } from '../core/user-hash.js';

/**
 * Per-chat order and pacing for an outbound queue, kept in Redis so every worker
 * process shares it.
 *
 * - Each chat has a lane (one hash): `last` sequence number assigned at enqueue, `next`
 *   sequence allowed to send, `at` earliest time of the chat's next message, `hd` when the
 *   head job comes back after it postponed itself, `since` when `next` last moved (the
 *   clock of the gap timeout), and the last `keep` sequence ↔ job id pairs (`s:<seq>`,
 *   `b:<jobId>`) so a re-enqueued job keeps its number.
 * - The channel has one pacer (one hash): `tat`, the next free slot of the bot-wide rate
 *   (slots are `slotMs` apart: the configured rate, evenly spread), and `pause`, set from a
 *   429's retry_after. Beside it, a log (sorted set) of the sends of the last window: a send
 *   counts from just before it leaves until `windowMs` after its answer came back. Telegram
 *   received it somewhere in between, so however late or bunched requests arrive, a rolling
 *   window on Telegram's side never holds more sends than the log allows (`windowMax`).
 *
 * All decisions are Lua scripts on Redis time, so concurrent workers and processes agree.
 */

export type LaneOptions = {
  /** Minimum gap between the last message of one job and the first message of the next job of a chat (0: none). */
  chatIntervalMs: number;
  /** Bot-wide gap between two sends (0: no bot-wide pacing here). */
  slotMs: number;
  /** Hard cap of sends in any rolling `windowMs` (0: none), however their requests travel. */
  windowMax: number;
  windowMs: number;
  /** Longer waits than this are not slept through in the worker: the job is postponed instead. */
  maxInlineWaitMs: number;
  /** A chat whose next job was numbered but never appeared (or was removed) is unblocked after this long. */
  gapTimeoutMs: number;
  /** Re-check interval of a job waiting for its turn (per job ahead of it). */
  pollMs: number;
};

/** The result of asking to send one message. */
export type Gate =
  /** Send after `waitMs` (already reserved: the bot-wide slot and, when asked, the chat's turn). */
  | { kind: 'go'; waitMs: number }
  /**
   * Not now (not this job's turn, the chat's spacing, or too long a queue for the bot-wide
   * slot): postpone to `until`. `heldHead`: the job whose turn it is still waits with a priority.
   */
  | { kind: 'defer'; until: number; reason: 'turn' | 'chat' | 'slot'; heldHead?: string }
  /** The bot is paused by a 429 for `ms` more. */
  | { kind: 'paused'; ms: number }
  /** This job's sequence number was already sent or given up: a second copy of a finished job. */
  | { kind: 'duplicate' };

/** Outlives any wait of a queued job (retries, a night's delay, a long broadcast); an idle chat's lane then goes. */
export const LANE_TTL_S = 2 * 24 * 3600;
const PACER_TTL_MS = 3600_000;
/** Sequence ↔ job id pairs kept after a job is done, to recognise a re-enqueued copy (a re-flushed outbox is a recent one). */
const KEEP = 8;
/** A send whose answer never came (crashed worker) stops counting after this long. */
const IN_FLIGHT_MS = 30_000;
/** A chat's spacing is slept through only when this short; longer, the job is postponed (and frees its worker slot). */
const CHAT_INLINE_WAIT_MS = 50;

export const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * Lua: numbers job `jobId` in `lane` (the same number when asked again). Needs `now` in
 * scope. Shared with the session commit (conversations/session-store.ts), which numbers a
 * reply in the same script that writes its session.
 */
export const ASSIGN_FUNCTION = `local function assign_seq(lane, jobId, ttl)
  local known = redis.call('HGET', lane, 'b:' .. jobId)
  if known then
    redis.call('EXPIRE', lane, ttl)
    return tonumber(known)
  end
  local last = tonumber(redis.call('HGET', lane, 'last') or '0')
  local nxt = tonumber(redis.call('HGET', lane, 'next') or '0')
  local seq = last + 1
  -- Nothing outstanding: this job is the head, and its gap clock starts now.
  if nxt == 0 or nxt > last then redis.call('HSET', lane, 'next', seq, 'since', now, 'hd', 0) end
  redis.call('HSET', lane, 'last', seq, 's:' .. seq, jobId, 'b:' .. jobId, seq)
  redis.call('EXPIRE', lane, ttl)
  return seq
end`;

/** KEYS: lane. ARGV: jobId, ttlS. Returns the job's sequence number (the same one when asked again). */
const ASSIGN = `${NOW}
${ASSIGN_FUNCTION}
return assign_seq(KEYS[1], ARGV[1], ARGV[2])`;

/** Moves a lane's head from n to n + 1 (Lua helper shared by CLAIM and RELEASE). */
const ADVANCE = `local function advance(lane, n, forget, keep, now)
  if forget then
    local id = redis.call('HGET', lane, 's:' .. n)
    if id then redis.call('HDEL', lane, 's:' .. n, 'b:' .. id) end
  end
  local old = n - keep
  if old > 0 then
    local id = redis.call('HGET', lane, 's:' .. old)
    if id then redis.call('HDEL', lane, 's:' .. old, 'b:' .. id) end
  end
  redis.call('HSET', lane, 'next', n + 1, 'since', now, 'hd', 0)
end`;

/**
 * KEYS: lane, pacer, failed zset, completed zset.
 * ARGV: jobId, seq (0: unordered), job key prefix, chat interval (0: no chat spacing for
 * this message), slot ms (0: no bot-wide pacing), max inline wait, gap timeout, poll, ttlS,
 * keep, max inline wait for the chat's spacing.
 * Returns {0, waitMs} go, {1, until, reason, held} defer, {2} duplicate, {3, ms} paused;
 * `held`: on a 'turn' defer, the id of the chat's head job when it still waits with a
 * priority (an invitation or reminder queued behind a broadcast), else ''.
 */
const CLAIM = `${NOW}
${ADVANCE}
local lane, pacer = KEYS[1], KEYS[2]
local jobId, seq, jobPrefix = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local chatGap, slot, maxInline = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local gapMs, poll, ttl, keep = tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9], tonumber(ARGV[10])
local chatInline = tonumber(ARGV[11])
local head = false
local function num(key, field) return tonumber(redis.call('HGET', key, field) or '0') end
local function defer(untilMs, reason)
  if head then redis.call('HSET', lane, 'hd', untilMs) end
  redis.call('EXPIRE', lane, ttl)
  return {1, untilMs, reason}
end

if seq > 0 then
  local nxt = num(lane, 'next')
  if nxt == 0 then
    -- The lane expired while this job waited: start again from it.
    nxt = seq
    redis.call('HSET', lane, 'next', seq, 'since', now)
    if num(lane, 'last') < seq then redis.call('HSET', lane, 'last', seq) end
  end
  if seq < nxt then
    if redis.call('HGET', lane, 'b:' .. jobId) == ARGV[2] then return {2} end
    -- Its turn was skipped as a gap and it turned up later: send it now rather than lose it.
  else
    while nxt < seq do
      local id = redis.call('HGET', lane, 's:' .. nxt)
      local skip, forget = false, false
      if not id or redis.call('EXISTS', jobPrefix .. id) == 0 then
        -- Numbered but not (or no longer) in the queue: its writer gets gapMs to add it.
        if now - num(lane, 'since') >= gapMs then skip, forget = true, true end
      elseif redis.call('ZSCORE', KEYS[3], id) or redis.call('ZSCORE', KEYS[4], id) then
        -- Finished without moving the lane on (e.g. failed as stalled, or an invalid payload).
        skip = true
      end
      if not skip then break end
      advance(lane, nxt, forget, keep, now)
      nxt = nxt + 1
    end
    if seq > nxt then
      local ahead = seq - nxt
      local base = math.max(now, num(lane, 'at'), num(lane, 'hd'))
      local headId = redis.call('HGET', lane, 's:' .. nxt)
      local held = ''
      if headId and num(jobPrefix .. headId, 'priority') > 0 then held = headId end
      redis.call('EXPIRE', lane, ttl)
      return {1, math.max(now + poll * ahead, base + chatGap * (ahead - 1)), 'turn', held}
    end
    head = true
  end
end

local start = now
if chatGap > 0 then
  local at = num(lane, 'at')
  -- A longer wait is not slept through: a reservation that far ahead would idle the bot-wide slots before it.
  if at > now + chatInline then return defer(at, 'chat') end
  start = math.max(start, at)
end
if slot > 0 then
  local pause = num(pacer, 'pause')
  if pause > now + maxInline then
    if head then redis.call('HSET', lane, 'hd', pause) end
    return {3, pause - now}
  end
  local t0 = math.max(start, num(pacer, 'tat'), pause)
  if t0 > now + maxInline then return defer(t0, 'slot') end
  redis.call('HSET', pacer, 'tat', t0 + slot)
  redis.call('PEXPIRE', pacer, ${PACER_TTL_MS})
  start = t0
end
if chatGap > 0 then redis.call('HSET', lane, 'at', start + chatGap) end
if seq > 0 or chatGap > 0 then redis.call('EXPIRE', lane, ttl) end
return {0, start - now}`;

/**
 * KEYS: pacer, log. ARGV: member, windowMax, in-flight ms. Just before a send leaves: {0}
 * go (logged as in flight), {1, ms} paused by a 429, {2, ms} the window is full.
 */
const DISPATCH = `${NOW}
local pause = tonumber(redis.call('HGET', KEYS[1], 'pause') or '0')
if pause > now then return {1, pause - now} end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {2, math.max(1, tonumber(first[2]) - now)}
end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[2], ${PACER_TTL_MS})
return {0}`;

/**
 * KEYS: log, lane. ARGV: member, counted ms (0: Telegram refused it, it does not count),
 * chat interval (0: not a new message), ttlS. After a send's answer came back.
 */
const SETTLE = `${NOW}
if tonumber(ARGV[2]) > 0 then
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
else
  redis.call('ZREM', KEYS[1], ARGV[1])
end
if tonumber(ARGV[3]) > 0 then
  local at = tonumber(redis.call('HGET', KEYS[2], 'at') or '0')
  redis.call('HSET', KEYS[2], 'at', math.max(at, now + tonumber(ARGV[3])))
  redis.call('EXPIRE', KEYS[2], ARGV[4])
end
return 1`;

/** KEYS: lane. ARGV: seq, keep, ttlS. The job numbered seq is done (sent, or given up): the next one may go. */
const RELEASE = `${NOW}
${ADVANCE}
local lane = KEYS[1]
local seq = tonumber(ARGV[1])
if tonumber(redis.call('HGET', lane, 'next') or '0') == seq then
  advance(lane, seq, false, tonumber(ARGV[2]), now)
  redis.call('EXPIRE', lane, ARGV[3])
  return 1
end
return 0`;

/** KEYS: lane. ARGV: seq, until. The head postponed itself: jobs behind it need not poll before then. */
const HOLD = `local lane = KEYS[1]
if tonumber(redis.call('HGET', lane, 'next') or '0') == tonumber(ARGV[1]) then
  redis.call('HSET', lane, 'hd', ARGV[2])
  return 1
end
return 0`;

/** KEYS: pacer, lane. ARGV: ms, ttlS. A 429: nothing is sent by the bot (and to this chat) for ms. */
const PAUSE = `${NOW}
local till = now + tonumber(ARGV[1])
local function raise(key, field)
  local v = tonumber(redis.call('HGET', key, field) or '0')
  if till > v then redis.call('HSET', key, field, till) end
end
raise(KEYS[1], 'pause')
raise(KEYS[1], 'tat')
redis.call('PEXPIRE', KEYS[1], math.max(${PACER_TTL_MS}, tonumber(ARGV[1]) * 2))
raise(KEYS[2], 'at')
redis.call('EXPIRE', KEYS[2], ARGV[2])
return till`;

type Script = { src: string; sha: string };
const script = (src: string): Script => ({ src, sha: createHash('sha1').update(src).digest('hex') });
const SCRIPTS = { assign: script(ASSIGN), claim: script(CLAIM), dispatch: script(DISPATCH), settle: script(SETTLE), release: script(RELEASE), hold: script(HOLD), pause: script(PAUSE) };

async function run(redis: RedisClient, s: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
  try {
    return await redis.evalsha(s.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
    return redis.eval(s.src, keys.length, ...keys, ...args);
  }
}

export type LaneChannel = 'telegram' | 'zalo' | 'simulator';

/** Lanes of one channel's outbound queue (`queue` is the BullMQ queue name, for the job-state checks). */
export class ChatLanes {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    readonly channel: LaneChannel,
    readonly queue: string,
    readonly options: LaneOptions,
  ) {}

  /** The lane key: the chat id is hashed like session keys (no personal data in key names). */
  laneKey(userRef: string): string {
    return `${this.prefix}:olane:${this.channel}:${userHash({ channel: this.channel, userRef })}`;
  }

  private get pacerKey(): string {
    return `${this.prefix}:opace:${this.channel}`;
  }

  private get logKey(): string {
    return `${this.prefix}:opace:${this.channel}:log`;
  }

  /** Numbers a job of the chat at enqueue; asking again for the same job id returns the same number. */
  async assign(userRef: string, jobId: string): Promise<number> {
    return Number(await run(this.redis, SCRIPTS.assign, [this.laneKey(userRef)], [jobId, LANE_TTL_S]));
  }

  /** `assign` for many jobs in one round trip, numbered in the order given. */
  async assignMany(items: { userRef: string; jobId: string }[]): Promise<number[]> {
    if (!items.length) return [];
    await this.redis.script('LOAD', SCRIPTS.assign.src);
    const pipe = this.redis.pipeline();
    for (const it of items) pipe.evalsha(SCRIPTS.assign.sha, 1, this.laneKey(it.userRef), it.jobId, LANE_TTL_S);
    const res = (await pipe.exec()) ?? [];
    return res.map(([err, v]) => {
      if (err) throw err;
      return Number(v);
    });
  }

  /**
   * Asks to send one message of job `jobId` (sequence `seq`, 0 when unordered) now.
   * `chatSpacing`: this message opens a new job's sends to the chat and must keep the chat's interval.
   */
  async claim(o: { userRef: string; jobId: string; seq: number; chatSpacing: boolean; pace: boolean }): Promise<Gate> {
    const q = `${this.prefix}:${this.queue}`;
    const { chatIntervalMs, slotMs, maxInlineWaitMs, gapTimeoutMs, pollMs } = this.options;
    const r = (await run(
      this.redis,
      SCRIPTS.claim,
      [this.laneKey(o.userRef), this.pacerKey, `${q}:failed`, `${q}:completed`],
      [o.jobId, o.seq, `${q}:`, o.chatSpacing ? chatIntervalMs : 0, o.pace ? slotMs : 0, maxInlineWaitMs, gapTimeoutMs, pollMs, LANE_TTL_S, KEEP, CHAT_INLINE_WAIT_MS],
    )) as [number, number?, string?, string?];
    switch (r[0]) {
      case 0:
        return { kind: 'go', waitMs: Number(r[1] ?? 0) };
      case 1:
        return { kind: 'defer', until: Number(r[1]), reason: (r[2] ?? 'turn') as 'turn' | 'chat' | 'slot', ...(r[3] ? { heldHead: r[3] } : {}) };
      case 2:
        return { kind: 'duplicate' };
      default:
        return { kind: 'paused', ms: Number(r[1] ?? 0) };
    }
  }

  /**
   * Just before a send leaves (after the claim's wait): logs it in the window, or says how
   * long to wait — `paused` by a 429, or `full` window (a wait of at most the window).
   */
  async dispatch(member: string): Promise<{ kind: 'go' } | { kind: 'paused' | 'full'; ms: number }> {
    if (!this.options.windowMax) return { kind: 'go' };
    const r = (await run(this.redis, SCRIPTS.dispatch, [this.pacerKey, this.logKey], [member, this.options.windowMax, IN_FLIGHT_MS])) as [number, number?];
    if (r[0] === 0) return { kind: 'go' };
    return { kind: r[0] === 1 ? 'paused' : 'full', ms: Number(r[1] ?? 0) };
  }

  /**
   * A send's answer came back. `counted`: Telegram may have counted it (accepted, or an
   * unknown outcome); a refused (429) send leaves the window. `newMessage`: the chat's next
   * job waits the chat interval from now.
   */
  async settle(o: { userRef: string; member: string; counted: boolean; newMessage: boolean }): Promise<void> {
    const chatGap = o.newMessage ? this.options.chatIntervalMs : 0;
    if (!this.options.windowMax && !chatGap) return;
    await run(this.redis, SCRIPTS.settle, [this.logKey, this.laneKey(o.userRef)], [o.member, o.counted ? this.options.windowMs : 0, chatGap, LANE_TTL_S]);
  }

  /** Job `seq` of the chat is finished (sent, dropped or given up for good): the next one may go. */
  async release(userRef: string, seq: number): Promise<void> {
    await run(this.redis, SCRIPTS.release, [this.laneKey(userRef)], [seq, KEEP, LANE_TTL_S]);
  }

  /** The head job `seq` will be back at `until` (postponed, or retried after a backoff). */
  async hold(userRef: string, seq: number, until: number): Promise<void> {
    await run(this.redis, SCRIPTS.hold, [this.laneKey(userRef)], [seq, Math.round(until)]);
  }

  /** A 429: pauses the bot-wide pacer (and the chat) for `ms`. */
  async pause(userRef: string, ms: number): Promise<void> {
    await run(this.redis, SCRIPTS.pause, [this.pacerKey, this.laneKey(userRef)], [Math.ceil(ms), LANE_TTL_S]);
  }
}
