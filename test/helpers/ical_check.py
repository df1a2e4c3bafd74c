"""Independent iCalendar checks for the tests, with Debian's python3-icalendar (run with /usr/bin/python3).

  parse FILE            prints the calendar as JSON: METHOD and each VEVENT's UID, SEQUENCE, DTSTART/DTEND
                        (ISO with offset, and their TZID), RRULE, EXDATEs, RECURRENCE-ID, STATUS, ORGANIZER, ATTENDEEs.
  apply STORE MESSAGE   applies an iTIP message (RFC 5546) to the calendar object kept in STORE, as a calendar
                        client does with an invitation e-mail, and writes STORE back:
                        REQUEST without RECURRENCE-ID replaces the whole object (master and overrides it carries);
                        REQUEST with RECURRENCE-ID adds or replaces that one override;
                        CANCEL with RECURRENCE-ID drops that override and adds an EXDATE to the master;
                        CANCEL without one removes the object (STORE is emptied).
"""
import json
import sys

import icalendar


def iso(value):
    dt = value.dt
    return dt.isoformat()


def tzid(prop):
    return prop.params.get('TZID') if prop is not None else None


def exdates(event):
    raw = event.get('EXDATE')
    if raw is None:
        return []
    lists = raw if isinstance(raw, list) else [raw]
    return [d.dt.isoformat() for entry in lists for d in entry.dts]


def address(value):
    # The URI scheme is case-insensitive (RFC 3986): ical-generator writes MAILTO:, others mailto:.
    text = str(value)
    return 'mailto:' + text[7:] if text.lower().startswith('mailto:') else text


def describe(event):
    organizer = event.get('ORGANIZER')
    attendees = event.get('ATTENDEE')
    attendees = [] if attendees is None else attendees if isinstance(attendees, list) else [attendees]
    rid = event.get('RECURRENCE-ID')
    return {
        'uid': str(event.get('UID')),
        'sequence': int(event.get('SEQUENCE', 0)),
        'dtstart': iso(event.get('DTSTART')),
        'dtstartTzid': tzid(event.get('DTSTART')),
        'dtend': iso(event.get('DTEND')) if event.get('DTEND') is not None else None,
        'dtstamp': iso(event.get('DTSTAMP')) if event.get('DTSTAMP') is not None else None,
        'rrule': event.get('RRULE').to_ical().decode() if event.get('RRULE') is not None else None,
        'exdates': exdates(event),
        'recurrenceId': iso(rid) if rid is not None else None,
        'recurrenceIdTzid': tzid(rid),
        'status': str(event.get('STATUS')) if event.get('STATUS') is not None else None,
        'summary': str(event.get('SUMMARY')) if event.get('SUMMARY') is not None else None,
        'organizer': address(organizer) if organizer is not None else None,
        'organizerName': str(organizer.params.get('CN')) if organizer is not None and organizer.params.get('CN') else None,
        'attendees': [{'value': address(a), 'rsvp': a.params.get('RSVP'), 'partstat': a.params.get('PARTSTAT')} for a in attendees],
    }


def load(path):
    with open(path, 'rb') as handle:
        return icalendar.Calendar.from_ical(handle.read())


def parse(path):
    calendar = load(path)
    print(json.dumps({
        'method': str(calendar.get('METHOD')) if calendar.get('METHOD') is not None else None,
        'timezones': [str(tz.get('TZID')) for tz in calendar.walk('VTIMEZONE')],
        'events': [describe(e) for e in calendar.walk('VEVENT')],
    }))


def apply(store_path, message_path):
    message = load(message_path)
    method = str(message.get('METHOD'))
    try:
        store = load(store_path)
    except (FileNotFoundError, ValueError):
        store = None
    incoming = list(message.walk('VEVENT'))
    if method == 'REQUEST' and all(e.get('RECURRENCE-ID') is None for e in incoming[:1]):
        with open(store_path, 'wb') as handle:
            handle.write(message.to_ical())
        return
    if store is None:
        raise SystemExit(f'{method} for an occurrence, but no calendar object is stored')
    kept = [c for c in store.subcomponents]
    for event in incoming:
        rid = event.get('RECURRENCE-ID')
        if rid is None:
            if method == 'CANCEL':
                with open(store_path, 'wb') as handle:
                    handle.write(b'')
                return
            continue
        same = lambda c: c.name == 'VEVENT' and c.get('RECURRENCE-ID') is not None and c.get('RECURRENCE-ID').dt == rid.dt
        kept = [c for c in kept if not same(c)]
        if method == 'REQUEST':
            kept.append(event)
        elif method == 'CANCEL':
            master = next(c for c in kept if c.name == 'VEVENT' and c.get('RECURRENCE-ID') is None)
            master.add('EXDATE', rid.dt)
    store.subcomponents = kept
    with open(store_path, 'wb') as handle:
        handle.write(store.to_ical())


if __name__ == '__main__':
    command = sys.argv[1]
    if command == 'parse':
        parse(sys.argv[2])
    elif command == 'apply':
        apply(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(f'unknown command {command}')
