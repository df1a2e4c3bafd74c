import type { Principal } from '../domain/principal.js';
import type { Reminder } from '../schemas/reminder.js';
import { remindersByStatus } from '../store/reminders.js';
import { ownTeam } from './access.js';
import type { Deps } from './deps.js';

/** The team's reminders in one delivery status (the coordinator watches `failed`), newest first. No contact details. */
export async function listReminders(
  deps: Deps,
  principal: Principal,
  status: 'failed' | 'pending' | 'sent' | 'dropped' | 'unknown',
): Promise<Omit<Reminder, 'email' | 'attendeeName'>[]> {
  const list = await remindersByStatus(deps.db, ownTeam(principal), status);
  return list.reverse().map(({ email: _email, attendeeName: _name, ...rest }) => rest);
}
