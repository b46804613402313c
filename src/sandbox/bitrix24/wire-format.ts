// Value formats on the wire: dates as ISO 8601 with the portal's UTC offset and no milliseconds
// ("2024-07-22T18:00:08+02:00", api-reference/data-types.md), and the `time` block every response carries.

export function formatDateTime(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/**
 * Accepts what callers send for date fields: ISO date-times (any offset), plain dates (midnight in the
 * portal's zone) and unix seconds. Returns epoch ms, or null when it is not a date.
 */
export function parseDateTime(value: unknown, offsetMinutes: number): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const s = value.trim();
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (dateOnly) {
    return Date.UTC(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3])) - offsetMinutes * 60_000;
  }
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s)) return null;
  const hasZone = /([+-]\d{2}:?\d{2}|Z)$/.test(s);
  const parsed = Date.parse(hasZone ? s.replace(' ', 'T') : s.replace(' ', 'T') + 'Z');
  if (Number.isNaN(parsed)) return null;
  return hasZone ? parsed : parsed - offsetMinutes * 60_000;
}

export interface TimeBlock {
  start: number;
  finish: number;
  duration: number;
  processing: number;
  date_start: string;
  date_finish: string;
  operating_reset_at?: number;
  operating?: number;
}

/** The documented `time` block. The sandbox does no real work, so processing and operating are ~0. */
export function timeBlock(startMs: number, finishMs: number, offsetMinutes: number, withOperating = true): TimeBlock {
  const start = startMs / 1000;
  const finish = finishMs / 1000;
  const block: TimeBlock = {
    start,
    finish,
    duration: finish - start,
    processing: finish - start,
    date_start: formatDateTime(startMs, offsetMinutes),
    date_finish: formatDateTime(finishMs, offsetMinutes),
  };
  if (withOperating) {
    block.operating_reset_at = Math.floor(start) + 600;
    block.operating = 0;
  }
  return block;
}
