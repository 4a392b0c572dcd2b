import { UnrecoverableError } from 'bullmq';
import type { AppContext } from '../../core/app-context.js';
import { markInvitationSent } from '../../invitations/invitation-outcome.js';
import { inChatTurn } from '../../outbound/in-chat-turn.js';
import { laneFor } from '../../outbound/outbound-lanes.js';
import { promoteHeadIn } from '../../outbound/promote-head.js';
import { outboundJobs, zaloTokenUpkeepJob, znsInvitationJob } from '../../queues/job-catalog.js';
import { QUEUE } from '../../queues/queue-names.js';
import { register, type Registration } from '../../queues/start-workers.js';
import { deliverZalo } from './deliver-zalo.js';
import { deliverZnsInvitation } from './deliver-zns-invitation.js';
import { invitationMissedByCs } from './zalo-invitation-fallback.js';
import { ZALO_LANES } from './zalo-lanes.js';
import type { ZaloServices } from './zalo-services.js';
import { runZaloTokenUpkeep } from './zalo-token-upkeep.js';

/** Every Zalo job handler; without Zalo credentials its jobs fail at once, without retries. */
export function zaloRegistrations(ctx: AppContext, zalo: ZaloServices | undefined): Registration[] {
  const need = () => {
    if (!zalo) throw new UnrecoverableError('the Zalo channel is not configured');
    return zalo;
  };
  const { db, queues, metrics } = ctx;
  const lanes = laneFor(ctx.redis, ctx.config.redisPrefix, 'zalo', ZALO_LANES);
  // The limiter counts jobs: one carries one or two CS calls, so 30/s stays under the OA's 4,000 calls/min.
  const limits = { concurrency: 32, limiter: { max: 30, duration: 1000 } };
  const promote = promoteHeadIn(queues.queue(QUEUE.outboundZalo));
  return [
    register(
      outboundJobs.zalo,
      // Each chat's jobs go in enqueue order (Zalo has no per-chat rate: order only).
      (p, job) =>
        inChatTurn(
          lanes,
          p,
          job,
          () =>
            deliverZalo(
              {
                db,
                oa: need().oa,
                metrics,
                buttons: need().config.buttons,
                now: ctx.now,
                invitationMissed: (id, why) => invitationMissedByCs({ db, queues }, id, why),
                invitationSent: (id) => markInvitationSent(db, id, ctx.now()),
              },
              p,
              job,
            ),
          { gate: true, promote },
        ),
      limits,
    ),
    register(znsInvitationJob, (p, job) => deliverZnsInvitation({ db, zns: need().zns, config: need().config, metrics, now: ctx.now }, p.invitationId, job, p.reminder), limits),
    register(zaloTokenUpkeepJob, (p) => runZaloTokenUpkeep(need().tokens, ctx.logger, p.marginMs)),
  ];
}
