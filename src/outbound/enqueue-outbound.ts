import type { RedisClient } from '../queues/redis-connection.js';
import type { z } from 'zod';
import type { JobQueues } from '../queues/job-queues.js';
import type { QueueName } from '../queues/queue-names.js';
import { laneChannelOf, laneFor } from './outbound-lanes.js';
import type { ChatLanes } from './chat-lanes.js';
import type { OutboundJob, outboundJobs, outboundJobSchema } from '../queues/job-catalog.js';

/**
 * Messages sent on our initiative (invitations, reminders) queue behind replies: BullMQ
 * takes jobs without a priority before prioritized ones, so a citizen in a conversation
 * gets the next question at once even while a bulk send of thousands drains at the
 * platform's rate. Broadcasts go whenever no reply is waiting (conversations that alone
 * need more than the platform's rate hold them back until they ease). A chat's own
 * invitation or reminder held back this way is promoted by a reply queued behind it
 * (promote-head.ts), so per-chat order never makes a reply wait for the backlog.
 */
export const OUR_INITIATIVE_PRIORITY = 10;
const priorityOf = (kind: OutboundJob['kind']) => (kind === 'reply' ? {} : { priority: OUR_INITIATIVE_PRIORITY });

export type OutboundDefinition = (typeof outboundJobs)[keyof typeof outboundJobs];
export type OutboundPayload = Omit<z.input<typeof outboundJobSchema>, 'seq'>;
/** A payload whose number in its chat's lane was already given (by the session commit that wrote it). */
export type NumberedPayload = OutboundPayload & { seq?: number };
export type OutboundEnqueueDeps = { queues: JobQueues; redis: RedisClient; prefix: string };

function lanesFor(deps: OutboundEnqueueDeps, def: OutboundDefinition): ChatLanes | undefined {
  const channel = laneChannelOf(def.queue);
  return channel ? laneFor(deps.redis, deps.prefix, channel) : undefined;
}

/**
 * The one way to enqueue outbound messages: numbers the job in its chat's lane (so the
 * workers send a chat's jobs in enqueue order), then adds it. Enqueuing the same job id
 * again (a re-flushed outbox) keeps its number and BullMQ does not add it twice. A job
 * without messages (only a callback answer) is not numbered: it need not wait for the chat.
 */
export async function enqueueOutbound(deps: OutboundEnqueueDeps, def: OutboundDefinition, payload: OutboundPayload): Promise<string> {
  const [jobId] = await enqueueOutboundMany(deps, def, [payload]);
  return jobId!;
}

/** `enqueueOutbound` for many jobs (numbered in the order given unless numbered already), in a few round trips. */
export async function enqueueOutboundMany(deps: OutboundEnqueueDeps, def: OutboundDefinition, payloads: NumberedPayload[]): Promise<string[]> {
  const parsed = payloads.map((p) => def.schema.parse(p));
  const jobIds = parsed.map((d) => def.jobId(d));
  const lanes = lanesFor(deps, def);
  const ordered = parsed.map((d, i) => ({ i, d })).filter(({ d }) => lanes && d.messages.length > 0 && d.seq === undefined);
  if (lanes && ordered.length) {
    const items = ordered.map(({ i, d }) => ({ userRef: d.userRef, jobId: jobIds[i]! }));
    const seqs = items.length === 1 ? [await lanes.assign(items[0]!.userRef, items[0]!.jobId)] : await lanes.assignMany(items);
    ordered.forEach(({ d }, k) => (d.seq = seqs[k]));
  }
  // Already validated above: added as they are, not parsed a second time.
  const queue = deps.queues.queue(def.queue as QueueName);
  const opts = (i: number) => ({ ...def.options, jobId: jobIds[i]!, ...priorityOf(parsed[i]!.kind) });
  if (parsed.length === 1) await queue.add(def.name, parsed[0]!, opts(0));
  else if (parsed.length) await queue.addBulk(parsed.map((data, i) => ({ name: def.name, data, opts: opts(i) })));
  return jobIds;
}
