import type { Db } from '../../db/data-source.js';

/**
 * Runs one report statement with more sort memory than the server default (4 MB). A quarter's stage
 * changes of a large portal sort in about 10 MB: at 4 MB Postgres spills the sort to disk and the
 * report takes twice as long. SET LOCAL ends with the transaction, so the pooled connection goes back
 * with the default and nothing else pays for it.
 */
export async function withSortMemory<T = any[]>(db: Db, sql: string, params: unknown[], megabytes = 32): Promise<T> {
  return db.transaction(async (m) => {
    await m.query(`SET LOCAL work_mem = '${Math.trunc(megabytes)}MB'`);
    return m.query(sql, params);
  });
}
