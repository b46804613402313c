import type { JtiStore } from '../connectors/amocrm/amocrm-ports.js';
import type { Db } from '../db/data-source.js';
import { returningRows } from '../db/returning-rows.js';

const CLAIM_SQL = `INSERT INTO used_widget_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING RETURNING jti`;
const PRUNE_SQL = `DELETE FROM used_widget_tokens WHERE expires_at < now() - interval '5 minutes'`;

/** Claims between two prunes of expired rows, per process. */
const PRUNE_EVERY = 500;

/**
 * One-time use of widget token ids across every web process: the primary key decides, so two
 * requests racing with the same token on two machines get one "first" between them. Expired rows
 * are pruned now and then (a margin past expiry covers clock tolerance in the verifier).
 */
export class PostgresJtiStore implements JtiStore {
  private claims = 0;

  constructor(private readonly db: Db) {}

  async claimOnce(jti: string, expiresAt: Date): Promise<boolean> {
    if (this.claims++ % PRUNE_EVERY === 0) await this.db.query(PRUNE_SQL);
    const rows = returningRows(await this.db.query(CLAIM_SQL, [jti, expiresAt]));
    return rows.length > 0;
  }
}
