import { DateTime } from 'luxon';
import type { RetentionSettings } from '../schemas/retention.js';

/** The first local date on which something that stopped being needed on `since` is purged: `since` + the retention. */
export function purgeOn(since: string, retention: { months?: number; days?: number }): string {
  const date = DateTime.fromISO(since, { zone: 'utc' }).plus({ months: retention.months ?? 0, days: retention.days ?? 0 });
  return date.toISODate() ?? since;
}

export type RetentionKind = 'case' | 'declinedReferral' | 'meeting' | 'staffContacts' | 'reminder';

/** The retention of one kind of record under a team's settings. */
export function retentionOf(kind: RetentionKind, settings: RetentionSettings): { months?: number; days?: number } {
  switch (kind) {
    case 'case':
      return { months: settings.caseMonths };
    case 'declinedReferral':
      return { months: settings.declinedMonths };
    case 'meeting':
      return { months: settings.meetingMonths };
    case 'staffContacts':
      return { months: settings.staffMonths };
    case 'reminder':
      return { days: settings.reminderDays };
  }
}

/** When a record goes and whether it is due on `asOf` (yyyy-mm-dd in the team's zone). */
export function schedule(
  kind: RetentionKind,
  since: string,
  settings: RetentionSettings,
  asOf: string,
): { since: string; purgeOn: string; due: boolean } {
  const on = purgeOn(since, retentionOf(kind, settings));
  return { since, purgeOn: on, due: on <= asOf };
}

/** The local date of a UTC instant in a zone. */
export function localDateOf(instant: string, zone: string): string {
  return DateTime.fromISO(instant, { zone: 'utc' }).setZone(zone).toISODate() ?? instant.slice(0, 10);
}

const codePattern = (code: string) => new RegExp(`(?<![A-Za-z0-9-])${code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9])`, 'g');
/** What a purged case's code becomes where it occurred in a record that stays (a meeting's title, its audit entries). */
export const redactedCode = '[raderat]';

/** A text with every occurrence of a case code replaced (codes are [A-Z]{2,5}-dddd-dd..dddd, so KAL-2026-01 never matches inside KAL-2026-010). */
export const redactCodeIn = (text: string, code: string): string => text.replace(codePattern(code), redactedCode);
/** Whether a text names a case code (as `redactCodeIn` finds it). */
export const mentionsCode = (text: string | undefined, code: string): boolean => text !== undefined && codePattern(code).test(text);
