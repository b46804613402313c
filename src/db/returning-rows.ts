/**
 * TypeORM's postgres driver returns `[rows, affectedCount]` for UPDATE and DELETE, and plain rows
 * for everything else. Statements with RETURNING go through this so callers always get rows.
 */
export function returningRows<T = any>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}
