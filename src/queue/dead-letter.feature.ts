import type { Feature } from '../app/app-context.js';
import { DEAD_LETTER_QUEUE } from './queue-policies.js';

/**
 * A job that used up its retries lands here. It is recorded in the audit log of its portal (when
 * the job names one) and counted, so an alert on stageguard_jobs_total{queue="dead-letter"} fires.
 */
export const deadLetterFeature: Feature = {
  name: 'dead-letter',
  jobs: (ctx) => [
    {
      queue: DEAD_LETTER_QUEUE,
      handler: async (data: { portalId?: string } & Record<string, unknown>, job) => {
        ctx.log.error({ jobId: job.id, data }, 'job dead-lettered');
        if (typeof data.portalId === 'string') {
          await ctx.db.query(
            `INSERT INTO audit_log (portal_id, actor, action, details)
             SELECT id, 'system', 'job_dead_lettered', $2::jsonb FROM portals WHERE id = $1`,
            [data.portalId, JSON.stringify({ jobId: job.id, data })],
          );
        }
      },
    },
  ],
};
