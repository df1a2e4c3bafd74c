import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { usePageTitle } from '../../lib/page-title';
import { kindLabel } from '../../lib/labels';
import { hhmm, local, longDay, shiftWeek, thisWeek, weekLabel } from '../../lib/time';
import { ProblemAlert } from '../../ui/form';
import { useWeekData } from '../week/week-data';
import { InquiryDialog } from './inquiry-dialog';

const reminderKindLabel: Record<string, string> = {
  visit: 'påminnelse om besök',
  agenda: 'dagsagenda',
  meeting_external: 'påminnelse till extern deltagare',
  change: 'ändringsbesked',
  invitation: 'mötesinbjudan',
};
const channelLabel: Record<string, string> = { sms: 'sms', email: 'e-post' };
const when = (iso: string) => `${longDay(local(iso.slice(0, 16)))} ${hhmm(iso.slice(0, 16))}`;

/** The attention items of one week: visits standing in an absence, families below their target. */
function WeekAttention(props: { week: string }) {
  const data = useWeekData(props.week);
  if (data.loading) return <li className="muted">Laddar {weekLabel(props.week)}…</li>;
  if (data.error)
    return (
      <li>
        <ProblemAlert error={data.error} />
      </li>
    );
  const inAbsence = data.visits.filter((v) => v.status === 'planned' && (v.absentStaff?.length ?? 0) > 0);
  const below = data.families
    .filter((f) => f.status === 'active')
    .map((f) => ({ f, count: data.visits.filter((v) => v.family === f.code && v.status !== 'cancelled' && v.status !== 'no_show').length }))
    .filter(({ f, count }) => count < f.minSessions);
  if (inAbsence.length === 0 && below.length === 0)
    return (
      <li>
        <span className="badge ok">{weekLabel(props.week)}</span> Alla aktiva familjer når målet och inga besök ligger i en frånvaro.
      </li>
    );
  return (
    <>
      {inAbsence.map((v) => (
        <li key={v.id}>
          <span className="badge bad">Frånvaro</span> {v.family} {kindLabel[v.kind]} {longDay(local(v.startLocal))} {hhmm(v.startLocal)} med{' '}
          {v.staff.join(' och ')}: {v.absentStaff?.join(' och ')} är frånvarande.{' '}
          <Link href={`/veckan?v=${props.week}&omplanera=1`}>Föreslå omplanering för {weekLabel(props.week)}</Link>
        </li>
      ))}
      {below.map(({ f, count }) => (
        <li key={`${props.week}-${f.code}`}>
          <span className="badge warn">Under målet</span> {f.code}: {count} av {f.minSessions} besök {weekLabel(props.week)}.{' '}
          <Link href={`/veckan?v=${props.week}`}>Till veckan</Link>
        </li>
      ))}
    </>
  );
}

/**
 * *Översikt*: what needs the coordinator's attention, in one list — reminders that failed or whose delivery is unknown,
 * visits standing in an absence, families below their target this week and next — and *Logga förfrågan*.
 */
export default function StartPage() {
  usePageTitle('Översikt');
  const { api } = useApp();
  const [inquiryOpen, setInquiryOpen] = useState(false);
  const failed = useQuery({
    queryKey: ['reminders', 'failed'],
    queryFn: async () => unwrap(await api.GET('/reminders', { params: { query: { status: 'failed' } } })).reminders,
  });
  const unknown = useQuery({
    queryKey: ['reminders', 'unknown'],
    queryFn: async () => unwrap(await api.GET('/reminders', { params: { query: { status: 'unknown' } } })).reminders,
  });
  const week = thisWeek();
  const next = shiftWeek(week, 1);
  const team = useWeekData(week).team;
  const reminders = [
    ...(failed.data ?? []).map((r) => ({ r, state: 'gick inte fram' })),
    ...(unknown.data ?? []).map((r) => ({ r, state: 'okänt om den gick fram' })),
  ];
  return (
    <>
      <section aria-labelledby="start-heading">
        <div className="toolbar">
          <h1 id="start-heading">Översikt</h1>
          <span className="spacer" />
          <button type="button" onClick={() => setInquiryOpen(true)}>
            Logga förfrågan
          </button>
          <Link className="button secondary" href={`/veckan?v=${next}`}>
            Planera {weekLabel(next)}
          </Link>
        </div>
      </section>
      <section aria-labelledby="attention-heading">
        <h2 id="attention-heading">Behöver uppmärksamhet</h2>
        <ProblemAlert error={failed.error ?? unknown.error} />
        <ul className="list attention">
          {reminders.map(({ r, state }) => (
            <li key={r.id}>
              <span className="badge bad">Påminnelse</span> {reminderKindLabel[r.kind] ?? r.kind} via {channelLabel[r.channel] ?? r.channel}
              {r.staffId ? ` till ${r.staffId}` : ''}, planerad {when(r.dueAt)}: {state}
              {r.attempts > 0 ? ` efter ${r.attempts} försök` : ''}.
            </li>
          ))}
          <WeekAttention week={week} />
          <WeekAttention week={next} />
        </ul>
        {failed.isSuccess && unknown.isSuccess && (
          <p className="muted">Påminnelser: {reminders.length === 0 ? 'alla har gått fram.' : `${reminders.length} behöver ses över.`}</p>
        )}
      </section>
      {inquiryOpen && <InquiryDialog places={team?.places ?? ['Kalmar']} onClose={() => setInquiryOpen(false)} />}
    </>
  );
}
