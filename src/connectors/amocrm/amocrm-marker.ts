import { createHash } from 'node:crypto';

// amoCRM tasks and notes have no external-id field (no ORIGIN_ID / XML_ID as in Bitrix24), and the
// task `request_id` is only echoed in the create response, so the marker lives in the visible text,
// on its own last line, where find*ByMarker can see it after a crash.

export function withMarker(text: string, marker: string): string {
  return `${text.trimEnd()}\n\n[${marker}]`;
}

export function hasMarker(text: unknown, marker: string): boolean {
  return typeof text === 'string' && text.includes(`[${marker}]`);
}

/**
 * A notification is a task for the user (see AmoCrmConnector.notify); its tag is hashed into a
 * marker of its own so the tag's content never shows and any tag fits.
 */
export function notifyMarker(tag: string): string {
  return `sg-notify-${createHash('sha256').update(tag).digest('hex').slice(0, 20)}`;
}

/** Our notification tasks are messages, not sales activity: they never count as an Activity. */
export function isNotifyTaskText(text: unknown): boolean {
  return typeof text === 'string' && /\[sg-notify-[0-9a-f]{20}\]/.test(text);
}
