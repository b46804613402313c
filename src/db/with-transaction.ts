import type { QueryRunner } from 'typeorm';
import type { Db } from './data-source.js';

/** Runs fn in one transaction on one connection; the runner also carries queue inserts (JobQueue.send tx). */
export async function withTransaction<T>(db: Db, fn: (tx: QueryRunner) => Promise<T>): Promise<T> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const result = await fn(runner);
    await runner.commitTransaction();
    return result;
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw err;
  } finally {
    await runner.release();
  }
}
