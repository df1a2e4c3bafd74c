import type { Dispatch, SetStateAction } from 'react';
import { findPersonalIdentityNumber } from '../../../../shared/domain/identity-number';
import { fieldError } from '../../ui/form';
import { Field } from '../../ui/form';
import type { ExternalAttendee, Meeting, MeetingSeries, Staff } from './team-data';

export type MeetingKind = Meeting['kind'];
export const meetingKindLabel: Record<MeetingKind, string> = {
  municipality: 'Kommunmöte',
  bup_information: 'BUP-information',
  national_checkin: 'Nationell avstämning',
  consultation: 'Konsultation',
  information: 'Informationsträff',
  handover: 'Överlämning',
  other: 'Annat',
};
export const weekdayLabel = ['', 'måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'];
const nthLabel: Record<string, string> = { '1': 'första', '2': 'andra', '3': 'tredje', '4': 'fjärde', '-1': 'sista' };

type Recurrence = MeetingSeries['spec']['recurrence'];
type Nth = Extract<Recurrence, { freq: 'monthly' }>['nth'];

/** What the meeting form holds while a person edits it: strings as the inputs give them. */
export interface MeetingDraft {
  title: string;
  kind: MeetingKind;
  mode: 'onsite' | 'online';
  place: string;
  address: string;
  videoLink: string;
  staff: string[];
  external: ExternalAttendee[];
  family?: string | undefined;
  /** A single meeting or one occurrence: the day and the local times. */
  date: string;
  start: string;
  end: string;
  /** A series: its rule. */
  freq: 'weekly' | 'monthly';
  interval: number;
  nth: Nth;
  weekday: number;
  time: string;
  durationMinutes: number;
  startDate: string;
  untilDate: string;
  holidayPolicy: 'skip' | 'next_working_day';
}

export function emptyDraft(date: string, coordinator: string | undefined): MeetingDraft {
  return {
    title: '',
    kind: 'consultation',
    mode: 'onsite',
    place: '',
    address: '',
    videoLink: '',
    staff: coordinator ? [coordinator] : [],
    external: [],
    date,
    start: '09:00',
    end: '10:00',
    freq: 'weekly',
    interval: 1,
    nth: 1,
    weekday: 1,
    time: '09:00',
    durationMinutes: 60,
    startDate: date,
    untilDate: '',
    holidayPolicy: 'next_working_day',
  };
}

/** The three series every IKB team keeps (SPEC §5): a preset fills the form, the person adjusts it. */
export const seriesPresets: { label: string; apply: (d: MeetingDraft) => MeetingDraft }[] = [
  {
    label: 'Kommunmöte varannan vecka',
    apply: (d) => ({
      ...d,
      title: d.title || 'Kommunmöte',
      kind: 'municipality',
      freq: 'weekly',
      interval: 2,
      weekday: 2,
      time: '13:00',
      durationMinutes: 60,
      mode: 'onsite',
    }),
  },
  {
    label: 'BUP-information varje vecka',
    apply: (d) => ({
      ...d,
      title: d.title || 'Information till BUP',
      kind: 'bup_information',
      freq: 'weekly',
      interval: 1,
      weekday: 4,
      time: '08:30',
      durationMinutes: 45,
      mode: 'onsite',
    }),
  },
  {
    label: 'Nationell avstämning varje månad',
    apply: (d) => ({
      ...d,
      title: d.title || 'Nationell IKB-avstämning',
      kind: 'national_checkin',
      freq: 'monthly',
      nth: 2,
      weekday: 2,
      time: '10:00',
      durationMinutes: 60,
      mode: 'online',
    }),
  },
];

/** A series' rule in words: "varannan vecka, tisdag 13:00, 60 min". */
export function ruleLabel(spec: MeetingSeries['spec']): string {
  const r = spec.recurrence;
  const when =
    r.freq === 'monthly'
      ? `${nthLabel[String(r.nth)] ?? r.nth} ${weekdayLabel[r.weekday]} i månaden`
      : r.interval === 1
        ? `varje vecka, ${weekdayLabel[r.weekday]}`
        : r.interval === 2
          ? `varannan vecka, ${weekdayLabel[r.weekday]}`
          : `var ${r.interval}:e vecka, ${weekdayLabel[r.weekday]}`;
  return `${when} ${r.time}, ${spec.durationMinutes} min`;
}

const minutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};
const pnr = (text: string) => (findPersonalIdentityNumber(text) ? 'Får inte innehålla ett personnummer eller samordningsnummer.' : undefined);
const emailLike = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The same rules as the API's schema (shared/schemas/meeting.ts, free-text.ts), checked before sending so the person
 * sees them at once; the API's 400 still lands beside the same fields. Keys are the API's field paths.
 */
export function checkDraft(d: MeetingDraft, shape: 'single' | 'series'): Record<string, string> {
  const e: Record<string, string> = {};
  const title = d.title.trim();
  if (!title) e['title'] = 'Ange en rubrik.';
  else if (title.length > 80) e['title'] = 'Högst 80 tecken.';
  else if (pnr(title)) e['title'] = pnr(title) ?? '';
  if (d.mode === 'onsite') {
    if (!d.place) e['place'] = 'Välj kommun för ett möte på plats.';
    if (!d.address.trim()) e['address'] = 'Ange adressen för ett möte på plats.';
    else if (pnr(d.address)) e['address'] = pnr(d.address) ?? '';
  } else if (!/^https:\/\/[^\s]+$/.test(d.videoLink.trim())) e['videoLink'] = 'Ange en videolänk som börjar med https://';
  if (d.staff.length === 0) e['staff'] = 'Välj minst en person i teamet.';
  const seen = new Set<string>();
  d.external.forEach((a, i) => {
    if (!a.name.trim()) e[`external.${i}.name`] = 'Ange namn.';
    else if (pnr(a.name)) e[`external.${i}.name`] = pnr(a.name) ?? '';
    if (!emailLike.test(a.email.trim())) e[`external.${i}.email`] = 'Ange en giltig e-postadress.';
    else if (seen.has(a.email.trim().toLowerCase())) e[`external.${i}.email`] = 'Adressen finns redan med.';
    seen.add(a.email.trim().toLowerCase());
    if (!a.organisation.trim()) e[`external.${i}.organisation`] = 'Ange organisation.';
    else if (pnr(a.organisation)) e[`external.${i}.organisation`] = pnr(a.organisation) ?? '';
  });
  if (shape === 'single') {
    if (!d.date) e['start'] = 'Ange datum.';
    if (!d.start) e['start'] = 'Ange starttid.';
    if (!d.end || minutes(d.end) <= minutes(d.start)) e['end'] = 'Sluttiden måste vara efter starttiden.';
  } else {
    if (!d.startDate) e['spec.startDate'] = 'Ange första datum.';
    if (!d.time) e['spec.recurrence.time'] = 'Ange tid.';
    if (!(d.durationMinutes >= 15 && d.durationMinutes <= 480)) e['spec.durationMinutes'] = 'Ett möte är 15–480 minuter.';
    if (d.untilDate && d.startDate && d.untilDate < d.startDate) e['spec.untilDate'] = 'Slutdatum måste vara på eller efter första datum.';
  }
  return e;
}

const where = (d: MeetingDraft) =>
  d.mode === 'onsite'
    ? { mode: 'onsite' as const, place: d.place, address: d.address.trim() }
    : { mode: 'online' as const, videoLink: d.videoLink.trim() };
const attendees = (d: MeetingDraft) => ({
  staff: d.staff,
  external: d.external.map((a) => ({ name: a.name.trim(), email: a.email.trim(), organisation: a.organisation.trim() })),
});

export const recurrenceOf = (d: MeetingDraft): Recurrence =>
  d.freq === 'monthly'
    ? { freq: 'monthly', nth: d.nth, weekday: d.weekday, time: d.time }
    : { freq: 'weekly', interval: d.interval, weekday: d.weekday, time: d.time };

export function meetingBody(d: MeetingDraft) {
  return {
    title: d.title.trim(),
    kind: d.kind,
    ...where(d),
    ...attendees(d),
    ...(d.family ? { family: d.family } : {}),
    start: `${d.date}T${d.start}`,
    end: `${d.date}T${d.end}`,
  };
}

export function seriesBody(d: MeetingDraft) {
  return {
    title: d.title.trim(),
    kind: d.kind,
    ...where(d),
    ...attendees(d),
    spec: {
      recurrence: recurrenceOf(d),
      durationMinutes: d.durationMinutes,
      startDate: d.startDate,
      ...(d.untilDate ? { untilDate: d.untilDate } : {}),
      holidayPolicy: d.holidayPolicy,
    },
  };
}

/** The form's fields from a meeting as stored (for a change). */
export function draftOf(m: Meeting, series?: MeetingSeries): MeetingDraft {
  const base = emptyDraft(m.startLocal.slice(0, 10), undefined);
  const r = series?.spec.recurrence;
  return {
    ...base,
    title: m.title,
    kind: m.kind,
    mode: m.mode,
    place: m.place ?? '',
    address: m.address ?? '',
    videoLink: m.videoLink ?? '',
    staff: [...m.staff],
    external: m.external.map((a) => ({ ...a })),
    family: m.family,
    start: m.startLocal.slice(11, 16),
    end: m.endLocal.slice(11, 16),
    ...(series && r
      ? {
          freq: r.freq,
          interval: r.freq === 'weekly' ? r.interval : 1,
          nth: r.freq === 'monthly' ? r.nth : 1,
          weekday: r.weekday,
          time: r.time,
          durationMinutes: series.spec.durationMinutes,
          startDate: series.spec.startDate,
          untilDate: series.spec.untilDate ?? '',
          holidayPolicy: series.spec.holidayPolicy,
        }
      : {}),
  };
}

/** A field's message: what the form found before sending, else the API's 400 for that path. */
export type ErrorOf = (...paths: string[]) => string | undefined;
export function errorsFrom(client: Record<string, string>, apiError: unknown): ErrorOf {
  return (...paths) => {
    const mine = Object.entries(client)
      .filter(([p]) => paths.some((q) => p === q || p.startsWith(`${q}.`)))
      .map(([, m]) => m);
    return mine.length ? mine.join(' ') : fieldError(apiError, ...paths);
  };
}

/** Fields every request shape names, so the ProblemAlert lists only the ones no input shows. */
export const shownMeetingFields = [
  'title',
  'kind',
  'mode',
  'place',
  'address',
  'videoLink',
  'staff',
  'external',
  'start',
  'end',
  'spec',
  'recurrence',
  'durationMinutes',
  'untilDate',
  'fromDate',
  'family',
];

interface FieldsProps {
  draft: MeetingDraft;
  setDraft: Dispatch<SetStateAction<MeetingDraft>>;
  error: ErrorOf;
  places: string[];
  staff: Staff[];
  /** single: date and times; series: the rule; none: neither (a change of what, not when). */
  when: 'single' | 'series';
  /** Series errors sit under spec.* when creating, at the top level when changing from an occurrence on. */
  seriesPath?: (field: string) => string;
  kindEditable?: boolean;
}

/** Title, kind, when, where and who: the meeting form's fields, shared by Nytt möte, Ny mötesserie, a change and a handover booking. */
export function MeetingFields({ draft, setDraft, error, places, staff, when, seriesPath = (f) => `spec.${f}`, kindEditable = true }: FieldsProps) {
  const set = <K extends keyof MeetingDraft>(key: K, value: MeetingDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const active = staff.filter((s) => s.active);
  return (
    <>
      <div className="row">
        <Field label="Rubrik" hint="Syns i inbjudningar till partner: inga namn eller uppgifter om familjer." error={error('title')}>
          <input value={draft.title} maxLength={80} onChange={(e) => set('title', e.target.value)} autoComplete="off" />
        </Field>
        <Field label="Typ av möte" error={error('kind')}>
          <select value={draft.kind} disabled={!kindEditable} onChange={(e) => set('kind', e.target.value as MeetingKind)}>
            {Object.entries(meetingKindLabel).map(([k, l]) => (
              <option key={k} value={k}>
                {l}
              </option>
            ))}
          </select>
        </Field>
      </div>

      {when === 'single' ? (
        <div className="row">
          <Field label="Datum" error={error('date')}>
            <input type="date" value={draft.date} onChange={(e) => set('date', e.target.value)} required />
          </Field>
          <Field label="Från" error={error('start')}>
            <input type="time" value={draft.start} onChange={(e) => set('start', e.target.value)} required />
          </Field>
          <Field label="Till" error={error('end')}>
            <input type="time" value={draft.end} onChange={(e) => set('end', e.target.value)} required />
          </Field>
        </div>
      ) : (
        <fieldset>
          <legend>Upprepning</legend>
          <div className="row">
            <Field label="Hur ofta" error={error(seriesPath('recurrence.interval'), seriesPath('recurrence.freq'), seriesPath('recurrence.nth'))}>
              <select
                value={draft.freq === 'monthly' ? `m${draft.nth}` : `w${draft.interval}`}
                onChange={(e) => {
                  const v = e.target.value;
                  if (v.startsWith('m')) setDraft((d) => ({ ...d, freq: 'monthly', nth: Number(v.slice(1)) as Nth }));
                  else setDraft((d) => ({ ...d, freq: 'weekly', interval: Number(v.slice(1)) }));
                }}
              >
                <option value="w1">Varje vecka</option>
                <option value="w2">Varannan vecka</option>
                <option value="w3">Var tredje vecka</option>
                <option value="w4">Var fjärde vecka</option>
                <option value="m1">Första … i månaden</option>
                <option value="m2">Andra … i månaden</option>
                <option value="m3">Tredje … i månaden</option>
                <option value="m4">Fjärde … i månaden</option>
                <option value="m-1">Sista … i månaden</option>
              </select>
            </Field>
            <Field label="Veckodag" error={error(seriesPath('recurrence.weekday'))}>
              <select value={draft.weekday} onChange={(e) => set('weekday', Number(e.target.value))}>
                {[1, 2, 3, 4, 5, 6, 7].map((w) => (
                  <option key={w} value={w}>
                    {weekdayLabel[w]}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Tid" error={error(seriesPath('recurrence.time'))}>
              <input type="time" value={draft.time} onChange={(e) => set('time', e.target.value)} required />
            </Field>
            <Field label="Längd (minuter)" error={error(seriesPath('durationMinutes'))}>
              <input
                type="number"
                min={15}
                max={480}
                step={5}
                value={draft.durationMinutes}
                onChange={(e) => set('durationMinutes', Number(e.target.value))}
              />
            </Field>
          </div>
          <div className="row">
            {seriesPath('startDate') === 'spec.startDate' && (
              <Field label="Första datum" error={error(seriesPath('startDate'))}>
                <input type="date" value={draft.startDate} onChange={(e) => set('startDate', e.target.value)} required />
              </Field>
            )}
            <Field label="Sista datum (valfritt)" hint="Tomt: tills vidare." error={error(seriesPath('untilDate'))}>
              <input type="date" value={draft.untilDate} onChange={(e) => set('untilDate', e.target.value)} />
            </Field>
            <Field label="På en helgdag" error={error(seriesPath('holidayPolicy'))}>
              <select value={draft.holidayPolicy} onChange={(e) => set('holidayPolicy', e.target.value as MeetingDraft['holidayPolicy'])}>
                <option value="next_working_day">Flytta till nästa arbetsdag</option>
                <option value="skip">Hoppa över</option>
              </select>
            </Field>
          </div>
        </fieldset>
      )}

      <fieldset>
        <legend>Var</legend>
        <div className="row radios">
          <label>
            <input type="radio" name="mode" checked={draft.mode === 'onsite'} onChange={() => set('mode', 'onsite')} /> På plats
          </label>
          <label>
            <input type="radio" name="mode" checked={draft.mode === 'online'} onChange={() => set('mode', 'online')} /> Digitalt
          </label>
        </div>
        {draft.mode === 'onsite' ? (
          <div className="row">
            <Field label="Kommun" error={error('place')}>
              <select value={draft.place} onChange={(e) => set('place', e.target.value)}>
                <option value="">Välj kommun</option>
                {places.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </Field>
            <Field label="Adress" hint="En mötesplats, aldrig en familjs hem." error={error('address')}>
              <input value={draft.address} maxLength={200} onChange={(e) => set('address', e.target.value)} autoComplete="off" />
            </Field>
          </div>
        ) : (
          <Field label="Videolänk" error={error('videoLink')}>
            <input type="url" value={draft.videoLink} placeholder="https://" onChange={(e) => set('videoLink', e.target.value)} autoComplete="off" />
          </Field>
        )}
      </fieldset>

      <fieldset aria-describedby={error('staff') ? 'staff-error' : undefined}>
        <legend>Deltagare i teamet</legend>
        <div className="checks">
          {active.map((s) => (
            <label key={s.id}>
              <input
                type="checkbox"
                checked={draft.staff.includes(s.id)}
                onChange={(e) => setDraft((d) => ({ ...d, staff: e.target.checked ? [...d.staff, s.id] : d.staff.filter((x) => x !== s.id) }))}
              />{' '}
              {s.name}
            </label>
          ))}
        </div>
        {error('staff') && (
          <p id="staff-error" className="field-error">
            {error('staff')}
          </p>
        )}
      </fieldset>

      <fieldset>
        <legend>Externa deltagare</legend>
        <p className="hint">Partner som får en kalenderinbjudan per e-post (aldrig familjemedlemmar).</p>
        {draft.external.map((a, i) => {
          const update = (key: keyof ExternalAttendee, value: string) =>
            setDraft((d) => ({ ...d, external: d.external.map((x, j) => (j === i ? { ...x, [key]: value } : x)) }));
          return (
            <div className="row attendee" key={i}>
              <Field label={`Namn ${i + 1}`} error={error(`external.${i}.name`)}>
                <input value={a.name} maxLength={100} onChange={(e) => update('name', e.target.value)} autoComplete="off" />
              </Field>
              <Field label={`E-post ${i + 1}`} error={error(`external.${i}.email`)}>
                <input type="email" value={a.email} onChange={(e) => update('email', e.target.value)} autoComplete="off" />
              </Field>
              <Field label={`Organisation ${i + 1}`} error={error(`external.${i}.organisation`)}>
                <input value={a.organisation} maxLength={100} onChange={(e) => update('organisation', e.target.value)} autoComplete="off" />
              </Field>
              <button type="button" className="ghost" onClick={() => setDraft((d) => ({ ...d, external: d.external.filter((_, j) => j !== i) }))}>
                Ta bort deltagare {i + 1}
              </button>
            </div>
          );
        })}
        {error('external') && !draft.external.length && <p className="field-error">{error('external')}</p>}
        <button
          type="button"
          className="secondary"
          onClick={() => setDraft((d) => ({ ...d, external: [...d.external, { name: '', email: '', organisation: '' }] }))}
        >
          Lägg till extern deltagare
        </button>
      </fieldset>
    </>
  );
}
