import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { ReactNode } from 'react';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { usePageTitle } from '../../lib/page-title';
import { isoDate, local, mondayOf, shiftWeek, thisWeek, weekLabel } from '../../lib/time';
import { Notice, ProblemAlert } from '../../ui/form';
import { NewMeetingDialog, meetingWhen } from '../meetings/meeting-dialogs';
import { emptyDraft } from '../meetings/meeting-form';
import type { MeetingDraft } from '../meetings/meeting-form';
import { staffName, useStaff } from '../meetings/team-data';
import type { Family, HandoverProposal, Staff } from '../meetings/team-data';
import '../meetings/planning.css';
import { FamilyActionDialog, ReferralDialog, whenLabel } from './family-dialogs';
import type { FamilyAction } from './family-dialogs';
import { declineReasonLabel, completionTypeLabel, sourceLabel } from './family-labels';

type Open = { kind: 'referral' } | { kind: 'action'; action: FamilyAction; family: Family } | { kind: 'handover'; draft: MeetingDraft } | undefined;

const sections = [
  { status: 'referred', title: 'Remitterade', empty: 'Inga nya remisser.' },
  { status: 'accepted', title: 'Antagna, väntar på start', empty: 'Inga antagna familjer väntar.' },
  { status: 'active', title: 'Pågående behandlingar', empty: 'Inga pågående behandlingar.' },
] as const;

const byKey =
  <T,>(key: (x: T) => string, desc = false) =>
  (a: T, b: T) =>
    desc ? key(b).localeCompare(key(a)) : key(a).localeCompare(key(b));
const short = (staff: Staff[] | undefined, id: string) => staffName(staff, id).replace(/ \(.*\)$/, '');

/** Familjer: the team's cases by status through their course, referrals in, handovers out. */
export default function FamiliesPage() {
  usePageTitle('Familjer');
  const { api } = useApp();
  const staff = useStaff();
  const [open, setOpen] = useState<Open>();
  const [message, setMessage] = useState<string>();
  const families = useQuery({ queryKey: ['families'], queryFn: async () => unwrap(await api.GET('/families')).families });
  const close = useCallback(() => setOpen(undefined), []);
  const done = (text: string) => {
    setOpen(undefined);
    setMessage(text);
  };
  const all = families.data ?? [];
  const of = (status: Family['status']) => all.filter((f) => f.status === status);
  const actions = (f: Family) => {
    const button = (action: FamilyAction, label: string) => (
      <button
        type="button"
        className={action === 'decline' ? 'ghost small' : 'secondary small'}
        onClick={() => setOpen({ kind: 'action', action, family: f })}
      >
        {label}
      </button>
    );
    if (f.status === 'referred')
      return (
        <>
          {button('accept', 'Anta')}
          {button('decline', 'Avböj')}
        </>
      );
    if (f.status === 'accepted')
      return (
        <>
          {button('start', 'Starta behandling')}
          {button('decline', 'Avböj')}
        </>
      );
    if (f.status === 'active') return button('complete', 'Avsluta');
    return null;
  };
  const latest = open?.kind === 'action' ? all.find((f) => f.code === open.family.code) : undefined;

  return (
    <section aria-labelledby="families-title">
      <div className="toolbar">
        <h1 id="families-title">Familjer</h1>
        <span className="spacer" />
        <button type="button" onClick={() => setOpen({ kind: 'referral' })}>
          Ny remiss
        </button>
      </div>
      {message && <Notice>{message}</Notice>}
      {families.error ? <ProblemAlert error={families.error} /> : null}
      {families.isPending && <p role="status">Laddar familjer…</p>}

      {families.data &&
        sections.map((s) => {
          const list = of(s.status).sort(s.status === 'active' ? byKey((f) => f.treatmentEnd ?? '') : byKey((f) => f.referral.date));
          return (
            <section key={s.status} aria-labelledby={`h-${s.status}`}>
              <h2 id={`h-${s.status}`}>
                {s.title} <span className="count">({list.length})</span>
              </h2>
              {list.length === 0 ? <p className="muted">{s.empty}</p> : <FamilyTable families={list} staff={staff.data} actions={actions} />}
            </section>
          );
        })}

      <Handovers onBook={(draft) => setOpen({ kind: 'handover', draft })} families={all} staff={staff.data} />

      {families.data && (
        <section aria-labelledby="h-closed">
          <h2 id="h-closed">Avslutade och avböjda</h2>
          <details>
            <summary>
              Avslutade behandlingar <span className="count">({of('completed').length})</span>
            </summary>
            <FamilyTable families={of('completed').sort(byKey((f) => f.treatmentEnd ?? '', true))} staff={staff.data} actions={() => null} />
          </details>
          <details>
            <summary>
              Avböjda remisser <span className="count">({of('declined').length})</span>
            </summary>
            <FamilyTable
              families={of('declined').sort(byKey((f) => f.declinedOn ?? f.referral.date, true))}
              staff={staff.data}
              actions={() => null}
            />
          </details>
        </section>
      )}

      {open?.kind === 'referral' && <ReferralDialog onClose={close} onDone={(f) => done(`Remissen ${f.code} är registrerad.`)} />}
      {open?.kind === 'action' && <FamilyActionDialog action={open.action} family={open.family} latest={latest} onClose={close} onDone={done} />}
      {open?.kind === 'handover' && (
        <NewMeetingDialog
          title="Boka överlämningsmöte"
          initial={open.draft}
          onClose={close}
          onBooked={(m) => done(`Överlämningsmötet för ${m.family ?? ''} är bokat: ${meetingWhen(m)}.`)}
        />
      )}
    </section>
  );
}

function FamilyTable(props: { families: Family[]; staff: Staff[] | undefined; actions: (f: Family) => ReactNode }) {
  const closed = props.families.some((f) => f.status === 'completed' || f.status === 'declined');
  return (
    <div className="table-wrap">
      <table className="dense stack families">
        <thead>
          <tr>
            <th scope="col">Kod</th>
            <th scope="col">Kommun</th>
            <th scope="col">Remiss</th>
            <th scope="col">Ålder</th>
            <th scope="col">Terapeuter</th>
            <th scope="col">Behandling</th>
            {!closed && (
              <th scope="col">
                <span className="visually-hidden">Åtgärder</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {props.families.map((f) => (
            <tr key={f.code}>
              <th scope="row">{f.code}</th>
              <td data-label="Kommun">{f.place}</td>
              <td data-label="Remiss">
                {sourceLabel[f.referral.source]}, {f.referral.date}
              </td>
              <td data-label="Ålder" className="num">
                {f.ageAtStart}
              </td>
              <td data-label="Terapeuter">
                {short(props.staff, f.familyTherapist)} · {short(props.staff, f.individualTherapist)}
              </td>
              <td data-label="Behandling">
                {f.status === 'declined'
                  ? `avböjd ${f.declinedOn ?? ''}${f.declineReason ? `: ${declineReasonLabel[f.declineReason]?.toLowerCase()}` : ''}`
                  : f.treatmentStart
                    ? `${f.treatmentStart} – ${f.treatmentEnd ?? ''}${f.completion ? ` (${completionTypeLabel[f.completion.type]?.toLowerCase()})` : ''}`
                    : `${f.treatmentWeeks} veckor planerade`}
              </td>
              {!closed && <td className="row-actions">{props.actions(f)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The families entering their last two weeks (GET /handovers), with a way to book the handover meeting. */
function Handovers(props: { families: Family[]; staff: Staff[] | undefined; onBook: (draft: MeetingDraft) => void }) {
  const { api } = useApp();
  const [week, setWeek] = useState(thisWeek);
  const from = isoDate(mondayOf(week));
  const to = isoDate(mondayOf(week).plus({ days: 13 }));
  const proposals = useQuery({
    queryKey: ['handovers', week],
    queryFn: async () => unwrap(await api.GET('/handovers', { params: { query: { week } } })).proposals,
  });
  // A booked handover is not known to GET /handovers: the team's handover meetings in the two weeks say which are booked.
  const booked = useQuery({
    queryKey: ['meetings', from, to],
    queryFn: async () => unwrap(await api.GET('/meetings', { params: { query: { from, to } } })).meetings,
  });
  const bookedFor = (code: string) => (booked.data ?? []).filter((m) => m.kind === 'handover' && m.family === code && m.status === 'planned');
  const draftFor = (p: HandoverProposal, slot: { start: string; end: string } | undefined): MeetingDraft => {
    const family = props.families.find((f) => f.code === p.family);
    const date = slot ? slot.start.slice(0, 10) : from;
    return {
      ...emptyDraft(date, undefined),
      title: `Överlämning till ${sourceLabel[p.receivingUnit] ?? p.receivingUnit}`,
      kind: 'handover',
      family: p.family,
      staff: [...p.staff],
      start: slot ? slot.start.slice(11, 16) : '09:00',
      end: slot ? slot.end.slice(11, 16) : '10:00',
      place: family?.place ?? '',
      external: [{ name: '', email: '', organisation: sourceLabel[p.receivingUnit] ?? '' }],
    };
  };
  const list = proposals.data ?? [];
  return (
    <section aria-labelledby="h-handovers">
      <div className="toolbar">
        <h2 id="h-handovers">Överlämningar</h2>
        <span className="spacer" />
        <button type="button" className="ghost" onClick={() => setWeek((w) => shiftWeek(w, -1))}>
          ‹ Föregående vecka
        </button>
        <strong aria-live="polite">{weekLabel(week)}</strong>
        <button type="button" className="ghost" onClick={() => setWeek((w) => shiftWeek(w, 1))}>
          Nästa vecka ›
        </button>
      </div>
      <p className="hint">Familjer som går in i sina två sista behandlingsveckor, med lediga tider för båda terapeuterna denna vecka.</p>
      {proposals.error ? <ProblemAlert error={proposals.error} /> : null}
      {proposals.isPending ? (
        <p role="status">Laddar…</p>
      ) : list.length === 0 ? (
        <p className="muted">Ingen familj går in i sina två sista veckor {weekLabel(week)}.</p>
      ) : (
        <div className="table-wrap">
          <table className="dense stack">
            <thead>
              <tr>
                <th scope="col">Kod</th>
                <th scope="col">Behandlingen slutar</th>
                <th scope="col">Lämnas över till</th>
                <th scope="col">Terapeuter</th>
                <th scope="col">Överlämningsmöte</th>
              </tr>
            </thead>
            <tbody>
              {list.map((p) => {
                const meetings = bookedFor(p.family);
                return (
                  <tr key={p.family}>
                    <th scope="row">{p.family}</th>
                    <td data-label="Slutar">{whenLabel(p.treatmentEnd)}</td>
                    <td data-label="Till">{sourceLabel[p.receivingUnit]}</td>
                    <td data-label="Terapeuter">{p.staff.map((id) => short(props.staff, id)).join(' · ')}</td>
                    <td className="row-actions">
                      {meetings.length > 0 ? (
                        <span className="badge ok">Bokat {meetings.map((m) => meetingWhen(m)).join(', ')}</span>
                      ) : (
                        <div className="row-actions wrap">
                          {p.slots.map((s) => (
                            <button key={s.start} type="button" className="secondary small" onClick={() => props.onBook(draftFor(p, s))}>
                              Boka {local(s.start).toFormat('ccc d/M HH:mm')}
                            </button>
                          ))}
                          <button type="button" className="ghost small" onClick={() => props.onBook(draftFor(p, undefined))}>
                            {p.slots.length ? 'Annan tid' : 'Boka (ingen gemensam ledig tid)'}
                          </button>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
