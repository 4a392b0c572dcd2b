import type { BroadcastResult } from '../broadcast/bench-broadcast.js';
import type { Values } from './fill-template.js';
import { mib, ms, n0, n1, pct, rows } from './format.js';

/** Telegram sends in flight per worker, for results written before the benchmark recorded it. */
const SEND_CONCURRENCY_BEFORE = 16;

/** Everything docs/BENCHMARKS.md says about the broadcast benchmark. */
export function broadcastValues(b: BroadcastResult): Values {
  const f = b.fake;
  const total429 = f.rejected429Global + f.rejected429PerChat;
  const concurrency = b.sendConcurrency ?? SEND_CONCURRENCY_BEFORE;
  const r = b.replies;
  const row = [
    n0(b.messages),
    n0(b.chats),
    ms(b.durationMs),
    `**${n1(b.achievedPerSecond)}/s**`,
    `${b.configuredJobsPerSecond}/s`,
    `${f.maxAcceptedInOneSecond} / ${f.maxAcceptedInRollingSecond}`,
    f.minChatGapMs === null ? '–' : ms(f.minChatGapMs),
    n0(f.rejected429Global),
    n0(f.rejected429PerChat),
    n0(f.calls.sendMessage ?? 0),
    `${f.outOfOrder} (${f.chatsWithOutOfOrder})`,
    f.duplicates,
    b.failedJobs,
    n1(b.workerCpuSeconds),
    mib(b.rss.peakRssMiB),
  ];
  return {
    b: 'yes',
    'b.allThroughApi': b.burstRounds !== undefined,
    'b.messages': n0(b.messages),
    'b.total429': n0(total429),
    'b.global429': n0(f.rejected429Global),
    'b.perChat429': n0(f.rejected429PerChat),
    'b.429Verdict': total429 === 0 ? 'met' : '**missed**',
    'b.outOfOrder': n0(f.outOfOrder),
    'b.order': f.outOfOrder === 0 ? 'yes' : `no: ${f.outOfOrder} messages out of order in ${f.chatsWithOutOfOrder} chats`,
    'b.orderVerdict': f.outOfOrder === 0 ? 'met' : '**missed**',
    ...(b.invitations
      ? {
          'b.invitations': 'yes',
          'b.requested': n0(b.invitations.requested),
          'b.requests': n0(b.invitations.bulkRequests),
          'b.createMs': ms(b.invitations.createMs),
          'b.sent': n0(b.invitations.sent),
          'b.created': n0(b.invitations.created),
          'b.undeliverable': n0(b.invitations.undeliverable),
          'b.sentVerdict': b.invitations.sent === b.invitations.created ? 'met' : '**missed**',
        }
      : {}),
    'b.configured': b.configuredJobsPerSecond,
    'b.achieved': n1(b.achievedPerSecond),
    'b.achievedShare': pct(b.achievedPerSecond / b.configuredJobsPerSecond),
    'b.concurrency': concurrency,
    'b.limitGlobal': b.fakeLimits.globalPerSecond,
    'b.limitChat': b.fakeLimits.perChatIntervalMs,
    'b.singles': n0(b.singleMessageChats),
    'b.bursts': n0(b.burstChats),
    'b.burstSize': b.burstSize,
    'b.rounds': b.burstRounds,
    'b.slotMs': n0(1000 / b.configuredJobsPerSecond),
    'b.row': rows([row]),
    ...(r
      ? {
          'b.replies': 'yes',
          'b.replies.p50': ms(r.latencyMs.p50!),
          'b.replies.max': ms(r.maxMs),
          'b.replies.answered': r.answered,
          'b.replies.sent': r.sent,
          'b.replies.backlog': n0(r.backlogAtProbe),
          'b.replies.fifoMinutes': n0(r.backlogAtProbe / b.configuredJobsPerSecond / 60),
          'b.replies.row': rows([[r.sent, r.answered, ms(r.latencyMs.p50!), ms(r.latencyMs.p90!), ms(r.latencyMs.p99!), ms(r.maxMs)]]),
          'b.replies.pacerWait': n0((concurrency * 1000) / b.configuredJobsPerSecond),
        }
      : {}),
    ...(total429 > 0 || f.outOfOrder > 0 ? { 'c.broadcast': 'yes', 'c.any': 'yes' } : {}),
  };
}
