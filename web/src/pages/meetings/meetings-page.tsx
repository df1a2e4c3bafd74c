import { useQueries, useQuery } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { useCallback, useState } from 'react';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { usePageTitle } from '../../lib/page-title';
import { isoDate, local, now, zone } from '../../lib/time';
import { Notice, ProblemAlert } from '../../ui/form';
import { CancelMeetingDialog, ChangeMeetingDialog, InvitationsDialog, NewMeetingDialog, NewSeriesDialog } from './meeting-dialogs';
import { emptyDraft, meetingKindLabel, ruleLabel } from './meeting-form';
import { staffName, useStaff } from './team-data';
import type { Meeting } from './team-data';
import './planning.css';

type Span = 'week' | 'month';
type Open = { kind: 'new' } | { kind: 'series' } | { kind: 'change' | 'cancel' | 'invitations'; meeting: Meeting } | undefined;

function rangeOf(anchor: DateTime, span: Span): { from: DateTime; to: DateTime; label: string } {
  if (span === 'week') {
    const from = anchor.startOf('week');
    const to = from.plus({ days: 6 });
    return { from, to, label: `v. ${from.weekNumber} ${from.weekYear} (${from.toFormat('d MMM')}–${to.toFormat('d MMM')})` };
  }
  const from = anchor.startOf('month');
  return { from, to: anchor.endOf('month').startOf('day'), label: from.toFormat('LLLL yyyy') };
}

/** Möten: the team's meetings and series in a week or a month; book, move, cancel, change a series, see what went out. */
export default function MeetingsPage() {
  usePageTitle('Möten');
  const { api, person } = useApp();
  const staff = useStaff();
  const [span, setSpan] = useState<Span>('week');
  const [anchor, setAnchor] = useState(() => now().startOf('day'));
  const [open, setOpen] = useState<Open>();
  const [message, setMessage] = useState<string>();
  const range = rangeOf(anchor, span);
  const from = isoDate(range.from);
  const to = isoDate(range.to);
  const meetings = useQuery({
    queryKey: ['meetings', from, to],
    queryFn: async () => unwrap(await api.GET('/meetings', { params: { query: { from, to } } })).meetings,
    placeholderData: (previous) => previous,
  });
  const list = [...(meetings.data ?? [])].sort((a, b) => a.start.localeCompare(b.start));
  const seriesIds = [...new Set(list.flatMap((m) => (m.seriesId ? [m.seriesId] : [])))];
  const series = useQueries({
    queries: seriesIds.map((id) => ({
      queryKey: ['series', id],
      queryFn: async () => unwrap(await api.GET('/meeting-series/{id}', { params: { path: { id } } })),
    })),
  });
  const step = (by: number) => setAnchor((a) => a.plus(span === 'week' ? { weeks: by } : { months: by }));
  const close = useCallback(() => setOpen(undefined), []);
  const done = (text: string) => {
    setOpen(undefined);
    setMessage(text);
  };
  const newDraft = () => emptyDraft(isoDate(range.from < now().startOf('day') ? now() : range.from), person.staffId);

  return (
    <section aria-labelledby="meetings-title">
      <div className="toolbar">
        <h1 id="meetings-title">Möten</h1>
        <span className="spacer" />
        <button type="button" onClick={() => setOpen({ kind: 'new' })}>
          Nytt möte
        </button>
        <button type="button" onClick={() => setOpen({ kind: 'series' })}>
          Ny mötesserie
        </button>
      </div>
      <div className="toolbar" role="group" aria-label="Period">
        <div className="segmented" role="group" aria-label="Visa">
          <button type="button" className="secondary" aria-pressed={span === 'week'} onClick={() => setSpan('week')}>
            Vecka
          </button>
          <button type="button" className="secondary" aria-pressed={span === 'month'} onClick={() => setSpan('month')}>
            Månad
          </button>
        </div>
        <button type="button" className="ghost" onClick={() => step(-1)}>
          ‹ Föregående
        </button>
        <button type="button" className="ghost" onClick={() => setAnchor(now().startOf('day'))}>
          Idag
        </button>
        <button type="button" className="ghost" onClick={() => step(1)}>
          Nästa ›
        </button>
        <label className="inline">
          Gå till datum{' '}
          <input
            type="date"
            value={isoDate(anchor)}
            onChange={(e) => {
              const d = DateTime.fromISO(e.target.value, { zone });
              if (d.isValid) setAnchor(d);
            }}
          />
        </label>
        <strong aria-live="polite">{range.label}</strong>
      </div>

      {message && <Notice>{message}</Notice>}
      {meetings.error ? <ProblemAlert error={meetings.error} /> : null}

      <div className="table-wrap">
        <table className="dense stack">
          <caption>Teamets möten {range.label}</caption>
          <thead>
            <tr>
              <th scope="col">Dag</th>
              <th scope="col">Tid</th>
              <th scope="col">Möte</th>
              <th scope="col">Var</th>
              <th scope="col">Deltagare</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Åtgärder</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {meetings.isPending ? (
              <tr>
                <td colSpan={7} role="status">
                  Laddar…
                </td>
              </tr>
            ) : list.length === 0 ? (
              <tr>
                <td colSpan={7}>Inga möten i perioden.</td>
              </tr>
            ) : (
              list.map((m) => {
                const cancelled = m.status === 'cancelled';
                return (
                  <tr key={m.id} className={cancelled ? 'cancelled' : undefined}>
                    <td className="nowrap when">{local(m.startLocal).toFormat('ccc d/M')}</td>
                    <td className="nowrap when">
                      {m.startLocal.slice(11, 16)}–{m.endLocal.slice(11, 16)}
                    </td>
                    <th scope="row">
                      {m.title}
                      <span className="sub">
                        {meetingKindLabel[m.kind]}
                        {m.family ? ` · ${m.family}` : ''}
                        {m.seriesId ? ' · serie' : ''}
                        {m.detached ? ' · flyttat' : ''}
                      </span>
                    </th>
                    <td data-label="Var">{m.mode === 'online' ? 'Digitalt' : `${m.place ?? ''}, ${m.address ?? ''}`}</td>
                    <td data-label="Deltagare">
                      {m.staff.map((id) => staffName(staff.data, id).replace(/ \(.*\)$/, '')).join(', ')}
                      {m.external.length > 0 && <span className="sub">+ {m.external.map((a) => a.organisation).join(', ')}</span>}
                    </td>
                    <td data-label="Status">{cancelled ? <span className="badge bad">avbokat</span> : 'planerat'}</td>
                    <td className="row-actions">
                      {!cancelled && (
                        <>
                          <button type="button" className="secondary small" onClick={() => setOpen({ kind: 'change', meeting: m })}>
                            Ändra
                          </button>
                          <button type="button" className="secondary small" onClick={() => setOpen({ kind: 'cancel', meeting: m })}>
                            Avboka
                          </button>
                        </>
                      )}
                      <button type="button" className="ghost small" onClick={() => setOpen({ kind: 'invitations', meeting: m })}>
                        Utskick
                      </button>
                    </td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>

      <h2>Mötesserier i perioden</h2>
      {seriesIds.length === 0 ? (
        <p className="muted">Inga serier har tillfällen i perioden.</p>
      ) : (
        <div className="table-wrap">
          <table className="dense stack">
            <thead>
              <tr>
                <th scope="col">Serie</th>
                <th scope="col">Regel</th>
                <th scope="col">Från</th>
                <th scope="col">Till</th>
                <th scope="col">Externa</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {series.map((q, i) =>
                q.data ? (
                  <tr key={q.data.id}>
                    <th scope="row">
                      {q.data.title}
                      <span className="sub">{meetingKindLabel[q.data.kind]}</span>
                    </th>
                    <td data-label="Regel">{ruleLabel(q.data.spec)}</td>
                    <td data-label="Från" className="nowrap">
                      {q.data.spec.startDate}
                    </td>
                    <td data-label="Till" className="nowrap">
                      {q.data.spec.untilDate ?? 'tills vidare'}
                    </td>
                    <td data-label="Externa">{q.data.external.map((a) => a.organisation).join(', ') || '–'}</td>
                    <td data-label="Status">{q.data.status === 'active' ? 'pågår' : 'avslutad'}</td>
                  </tr>
                ) : (
                  <tr key={seriesIds[i]}>
                    <td colSpan={6}>{q.error ? 'Kunde inte läsa serien.' : 'Laddar…'}</td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}

      {open?.kind === 'new' && (
        <NewMeetingDialog
          initial={newDraft()}
          onClose={close}
          onBooked={(m) => done(`Mötet är bokat: ${m.title}, ${local(m.startLocal).toFormat('ccc d MMM HH:mm')}.`)}
        />
      )}
      {open?.kind === 'series' && <NewSeriesDialog initial={newDraft()} onClose={close} />}
      {open?.kind === 'change' && <ChangeMeetingDialog meeting={open.meeting} onClose={close} onDone={done} />}
      {open?.kind === 'cancel' && <CancelMeetingDialog meeting={open.meeting} onClose={close} onDone={done} />}
      {open?.kind === 'invitations' && <InvitationsDialog meeting={open.meeting} onClose={close} />}
    </section>
  );
}
