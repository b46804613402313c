// Period presets for the dashboard, as [from, to) calendar days in the user's time zone.

const day = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export const PRESETS = ['thisMonth', 'lastMonth', 'last30', 'quarter', 'custom'];

/** { from, to } with `to` exclusive, both YYYY-MM-DD. */
export function presetRange(preset, today = new Date()) {
  const y = today.getFullYear();
  const m = today.getMonth();
  const tomorrow = new Date(y, m, today.getDate() + 1);
  switch (preset) {
    case 'lastMonth':
      return { from: day(new Date(y, m - 1, 1)), to: day(new Date(y, m, 1)) };
    case 'last30':
      return { from: day(new Date(y, m, today.getDate() - 29)), to: day(tomorrow) };
    case 'quarter':
      return { from: day(new Date(y, m - (m % 3), 1)), to: day(tomorrow) };
    default:
      return { from: day(new Date(y, m, 1)), to: day(tomorrow) };
  }
}

/** Inclusive last day for display and date inputs. */
export function lastDay(toExclusive) {
  const d = new Date(`${toExclusive}T00:00:00`);
  d.setDate(d.getDate() - 1);
  return day(d);
}

export function nextDay(inclusive) {
  const d = new Date(`${inclusive}T00:00:00`);
  d.setDate(d.getDate() + 1);
  return day(d);
}

/** Day buckets (or weeks, for long periods) between from and to, for the violations chart. */
export function buckets(from, to) {
  const start = new Date(`${from}T00:00:00`);
  const end = new Date(`${to}T00:00:00`);
  const days = Math.max(1, Math.round((end - start) / 86_400_000));
  const step = days > 62 ? 7 : 1;
  const out = [];
  for (let d = new Date(start); d < end; d.setDate(d.getDate() + step)) out.push(day(d));
  return { keys: out, step };
}

export function bucketOf(iso, from, step) {
  const d = new Date(iso);
  const start = new Date(`${from}T00:00:00`);
  const index = Math.floor((new Date(d.getFullYear(), d.getMonth(), d.getDate()) - start) / 86_400_000 / step);
  const b = new Date(start);
  b.setDate(b.getDate() + index * step);
  return day(b);
}
