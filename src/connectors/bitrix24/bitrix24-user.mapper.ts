import type { HostUser } from '../../domain/crm.js';
import type { WireRow } from './bitrix24-wire.js';
import { wireString } from './bitrix24-wire.js';

/**
 * user.get rows (user-get.md: ACTIVE is a boolean there, "Y"/"N" elsewhere). user.get has no admin
 * flag; IS_ADMIN is read when a portal sends one, otherwise false.
 */
export function mapUser(row: WireRow): HostUser {
  const name = [row.NAME, row.LAST_NAME].filter((part) => typeof part === 'string' && part.trim() !== '').join(' ');
  return {
    id: String(row.ID),
    name: name || String(row.EMAIL || row.ID),
    email: wireString(row.EMAIL),
    active: row.ACTIVE === true || row.ACTIVE === 'Y' || row.ACTIVE === '1' || row.ACTIVE === 1,
    isAdmin: row.IS_ADMIN === true || row.IS_ADMIN === 'Y',
  };
}
