import type { Db } from '../db/data-source.js';
import type { JobQueue } from '../queue/job-queue.js';

export interface InboxItem {
  portalId: string;
  dedupeKey: string;
  eventName: string;
  entityId: string | null;
  payload: object;
}

interface Pending {
  item: InboxItem;
  resolve: (r: 'accepted' | 'duplicate') => void;
  reject: (e: unknown) => void;
}

const ROW_SQL = `
  INSERT INTO inbox_events (portal_id, dedupe_key, event_name, entity_id, payload)
  SELECT x.portal_id, x.dedupe_key, x.event_name, x.entity_id, x.payload
    FROM jsonb_to_recordset($1::jsonb) AS x(portal_id uuid, dedupe_key text, event_name text, entity_id text, payload jsonb)
  ON CONFLICT (portal_id, dedupe_key) DO UPDATE SET status = 'pending', received_at = now(), error = NULL
    WHERE inbox_events.status <> 'pending'
  RETURNING portal_id::text || '|' || dedupe_key AS key`;
const JOB_KEY_SQL = `(j.data->>'portalId') || '|' || (j.data->>'dedupeKey')`;

// Bitrix24's event key (member, event, id, ts in seconds) cannot tell a redelivery from a second
// change in the same second: the bodies are identical. So a repeat of an event that was already
// processed re-opens it (one more read of the host, which changes nothing if nothing changed)
// instead of being dropped; a repeat of one still pending is a plain duplicate.

/**
 * Writes inbox rows with their jobs, group-committing concurrent webhook requests: while one
 * statement is in flight, newly arrived events wait and go together in the next one. Each request
 * is answered only after the statement holding its row and its job has committed, so a 2xx still
 * means "stored durably and queued"; under load a few hundred events share one round trip.
 */
export class InboxWriter {
  private pending: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Db,
    private readonly queue: JobQueue,
    private readonly queueName: string,
    private readonly opts: { maxBatch?: number; maxInFlight?: number } = {},
  ) {}

  write(item: InboxItem): Promise<'accepted' | 'duplicate'> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    while (this.pending.length && this.inFlight < (this.opts.maxInFlight ?? 2)) {
      const batch = this.pending.splice(0, this.opts.maxBatch ?? 200);
      this.inFlight++;
      this.flush(batch).finally(() => {
        this.inFlight--;
        this.kick();
      });
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const rows = batch.map(({ item }) => ({
        portal_id: item.portalId,
        dedupe_key: item.dedupeKey,
        event_name: item.eventName,
        entity_id: item.entityId,
        payload: item.payload,
      }));
      const jobs = batch.map(({ item }) => ({
        key: `${item.portalId}|${item.dedupeKey}`,
        data: { portalId: item.portalId, dedupeKey: item.dedupeKey },
        groupId: item.portalId,
      }));
      const { insertedKeys } = await this.queue.insertRowsWithJobs(this.db, this.queueName, ROW_SQL, [JSON.stringify(rows)], dedupeJobs(jobs), JOB_KEY_SQL);
      // The same event twice in one batch: the first is the accepted one.
      const answered = new Set<string>();
      for (const p of batch) {
        const key = `${p.item.portalId}|${p.item.dedupeKey}`;
        p.resolve(insertedKeys.has(key) && !answered.has(key) ? 'accepted' : 'duplicate');
        answered.add(key);
      }
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}

function dedupeJobs<T extends { key: string }>(jobs: T[]): T[] {
  const seen = new Set<string>();
  return jobs.filter((j) => (seen.has(j.key) ? false : (seen.add(j.key), true)));
}
