import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';

// Independent readers of the invitations: Debian's python3-icalendar (called through /usr/bin/python3, which has
// Debian's packages; the pyenv python3 first on PATH does not) and Debian's khal, a real calendar client.
const python = '/usr/bin/python3';
const khal = '/usr/bin/khal';
const script = join(import.meta.dirname, 'ical_check.py');

const ParsedEvent = z.object({
  uid: z.string(),
  sequence: z.number(),
  dtstart: z.string(),
  dtstartTzid: z.string().nullable(),
  dtend: z.string().nullable(),
  dtstamp: z.string().nullable(),
  rrule: z.string().nullable(),
  exdates: z.array(z.string()),
  recurrenceId: z.string().nullable(),
  recurrenceIdTzid: z.string().nullable(),
  status: z.string().nullable(),
  summary: z.string().nullable(),
  organizer: z.string().nullable(),
  organizerName: z.string().nullable(),
  attendees: z.array(z.object({ value: z.string(), rsvp: z.string().nullable().optional(), partstat: z.string().nullable().optional() })),
});
const ParsedCalendar = z.object({ method: z.string().nullable(), timezones: z.array(z.string()), events: z.array(ParsedEvent) });
export type ParsedCalendar = z.infer<typeof ParsedCalendar>;

/** The invitation as python3-icalendar reads it. */
export function parseWithPythonIcalendar(ics: string): ParsedCalendar {
  const dir = mkdtempSync(join(tmpdir(), 'ikb-ics-'));
  try {
    const file = join(dir, 'message.ics');
    writeFileSync(file, ics);
    return ParsedCalendar.parse(JSON.parse(execFileSync(python, [script, 'parse', file], { encoding: 'utf8' })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A partner's calendar: every invitation e-mail received is applied as a calendar client applies iTIP (python3-icalendar,
 * `ical_check.py apply`), and `agenda` imports what is kept into khal and lists what khal expands, in Europe/Stockholm.
 */
export class PartnerCalendar {
  private readonly dir = mkdtempSync(join(tmpdir(), 'ikb-khal-'));
  private readonly store = join(this.dir, 'store');

  constructor() {
    mkdirSync(this.store);
  }

  /** Applies one received .ics (REQUEST or CANCEL) to the stored object of its UID. */
  receive(ics: string): void {
    const parsed = parseWithPythonIcalendar(ics);
    const uid = parsed.events[0]?.uid;
    if (!uid) throw new Error('an invitation without a VEVENT');
    const message = join(this.dir, 'message.ics');
    writeFileSync(message, ics);
    execFileSync(python, [script, 'apply', join(this.store, `${encodeURIComponent(uid)}.ics`), message], { encoding: 'utf8' });
  }

  /** khal's agenda for the local dates, one line per occurrence: `YYYY-MM-DD HH:MM–HH:MM title`. */
  agenda(from: string, days: number): string[] {
    const vdir = join(this.dir, `vdir-${Date.now()}`);
    const calendar = join(vdir, 'partner');
    mkdirSync(calendar, { recursive: true });
    const config = join(this.dir, 'config');
    writeFileSync(
      config,
      [
        '[calendars]',
        '[[partner]]',
        `path = ${calendar}`,
        'type = calendar',
        '[sqlite]',
        `path = ${join(vdir, 'khal.db')}`,
        '[locale]',
        'timeformat = %H:%M',
        'dateformat = %Y-%m-%d',
        'longdateformat = %Y-%m-%d',
        'datetimeformat = %Y-%m-%d %H:%M',
        'longdatetimeformat = %Y-%m-%d %H:%M',
        'local_timezone = Europe/Stockholm',
        'default_timezone = Europe/Stockholm',
        '',
      ].join('\n'),
    );
    for (const file of readdirSync(this.store)) {
      const path = join(this.store, file);
      if (execFileSync('wc', ['-c', path], { encoding: 'utf8' }).trim().startsWith('0 ')) continue;
      execFileSync(khal, ['-c', config, 'import', '--batch', '-a', 'partner', path], { encoding: 'utf8' });
    }
    const out = execFileSync(
      khal,
      ['-c', config, 'list', '--format', '{start-date} {start-time}–{end-time} {title}', '--day-format', '', from, `${days}d`],
      { encoding: 'utf8' },
    );
    return out
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
