import type { AppContext } from '../../core/app-context.js';
import { outboundJobs } from '../../queues/job-catalog.js';
import { register, type Registration } from '../../queues/start-workers.js';
import { deliverSimulator } from './deliver-simulator.js';

/** The simulator's outbound worker: replies land in a Redis list the terminal reads. */
export function simulatorRegistrations(ctx: AppContext): Registration[] {
  return [register(outboundJobs.simulator, (p) => deliverSimulator(ctx, p))];
}
