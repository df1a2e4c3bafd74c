import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiProblem, unwrap } from '../../api/problem';
import type { paths } from '../../api/schema';
import { useApp } from '../../app-context';
import { useIdempotencyKey } from '../../lib/idempotency';
import { familyStatusLabel, kindLabel } from '../../lib/labels';
import { isoDate, local, now } from '../../lib/time';
import { Dialog } from '../../ui/dialog';
import { Field, FormActions, ProblemAlert, fieldError } from '../../ui/form';
import { weekdayLabel } from '../meetings/meeting-form';
import { staffName, useStaff, useTeam } from '../meetings/team-data';
import type { Family, Staff, Window } from '../meetings/team-data';
import { codeProblem, completionTypeLabel, declineReasonLabel, genderLabel, outcomeFields, sourceLabel } from './family-labels';

/** After a failed submit, focus moves to the first field that says what is wrong. */
function focusFirstInvalid(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

/** A field's message: what the form found before sending, else the API's 400 for that path. */
const errorsFrom =
  (client: Record<string, string>, apiError: unknown) =>
  (...paths: string[]): string | undefined => {
    const mine = Object.entries(client).filter(([p]) => paths.some((q) => p === q || p.startsWith(`${q}.`)));
    return mine.length ? mine.map(([, m]) => m).join(' ') : fieldError(apiError, ...paths);
  };

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/* ---------- visiting windows: one row a weekday ---------- */

export type WindowRows = { on: boolean; start: string; end: string }[];
export const windowRowsOf = (windows: Window[]): WindowRows =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => {
    const w = windows.find((x) => x.weekday === weekday);
    return w ? { on: true, start: w.start, end: w.end } : { on: false, start: '15:00', end: '20:00' };
  });
export const windowsOf = (rows: WindowRows): Window[] => rows.flatMap((r, i) => (r.on ? [{ weekday: i + 1, start: r.start, end: r.end }] : []));
const afterSchool = windowRowsOf([1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '15:00', end: '20:00' })));

function checkWindows(rows: WindowRows, into: Record<string, string>): void {
  const sent = windowsOf(rows);
  if (sent.length === 0) into['windows'] = 'Välj minst en dag då familjen kan ta emot besök.';
  sent.forEach((w, i) => {
    if (!w.start || !w.end || minutesOf(w.end) <= minutesOf(w.start)) into[`windows.${i}.end`] = 'Sluttiden måste vara efter starttiden.';
  });
}

/** The visiting windows as a table: a checkbox and two times per weekday; errors by the API's index map back to the day. */
function WindowsEditor(props: { rows: WindowRows; onChange: (rows: WindowRows) => void; error: (...paths: string[]) => string | undefined }) {
  const sentIndex = new Map<number, number>();
  props.rows.forEach((r, i) => r.on && sentIndex.set(i, sentIndex.size));
  const set = (i: number, patch: Partial<WindowRows[number]>) => props.onChange(props.rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const whole = props.error('windows') && ![...sentIndex.values()].some((n) => props.error(`windows.${n}`)) ? props.error('windows') : undefined;
  return (
    <fieldset>
      <legend>Besöksfönster</legend>
      <p className="hint">När familjen kan ta emot besök, t.ex. vardagar efter skolan 15:00–20:00.</p>
      <table className="windows dense">
        <thead>
          <tr>
            <th scope="col">Dag</th>
            <th scope="col">Från</th>
            <th scope="col">Till</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r, i) => {
            const n = sentIndex.get(i);
            const message = n === undefined ? undefined : props.error(`windows.${n}`);
            const day = weekdayLabel[i + 1] ?? '';
            return (
              <tr key={day}>
                <th scope="row">
                  <label>
                    <input type="checkbox" checked={r.on} onChange={(e) => set(i, { on: e.target.checked })} /> {day}
                  </label>
                </th>
                <td>
                  <input
                    type="time"
                    aria-label={`${day} från`}
                    value={r.start}
                    disabled={!r.on}
                    onChange={(e) => set(i, { start: e.target.value })}
                    aria-invalid={message ? true : undefined}
                  />
                </td>
                <td>
                  <input
                    type="time"
                    aria-label={`${day} till`}
                    value={r.end}
                    disabled={!r.on}
                    onChange={(e) => set(i, { end: e.target.value })}
                    aria-invalid={message ? true : undefined}
                  />
                  {message && <span className="field-error"> {message}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {whole && <p className="field-error">{whole}</p>}
    </fieldset>
  );
}

function PairFields(props: {
  staff: Staff[];
  familyTherapist: string;
  individualTherapist: string;
  onChange: (patch: { familyTherapist?: string; individualTherapist?: string }) => void;
  error: (...p: string[]) => string | undefined;
}) {
  const of = (role: Staff['role'], current: string) => props.staff.filter((s) => s.role === role && (s.active || s.id === current));
  return (
    <div className="row">
      <Field label="Familjeterapeut" error={props.error('familyTherapist')}>
        <select value={props.familyTherapist} onChange={(e) => props.onChange({ familyTherapist: e.target.value })}>
          <option value="">Välj</option>
          {of('family_therapist', props.familyTherapist).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Individualterapeut" error={props.error('individualTherapist')}>
        <select value={props.individualTherapist} onChange={(e) => props.onChange({ individualTherapist: e.target.value })}>
          <option value="">Välj</option>
          {of('individual_therapist', props.individualTherapist).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}

/* ---------- Ny remiss ---------- */

const kinds = ['family', 'individual', 'joint'] as const;

/** Ny remiss: a referral under its pseudonymous code only; the planning details can be changed when treatment starts. */
export function ReferralDialog(props: { onClose: () => void; onDone: (f: Family) => void }) {
  const { api } = useApp();
  const qc = useQueryClient();
  const team = useTeam();
  const staff = useStaff();
  const keyFor = useIdempotencyKey();
  const form = useRef<HTMLFormElement>(null);
  const [d, setD] = useState({
    code: '',
    place: '',
    source: 'socialtjanst' as 'socialtjanst' | 'bup',
    date: isoDate(now()),
    age: '',
    gender: '' as '' | 'girl' | 'boy' | 'other',
    receivingUnit: '' as '' | 'socialtjanst' | 'bup',
    familyTherapist: '',
    individualTherapist: '',
    sessions: [
      { count: 2, minutes: 90 },
      { count: 2, minutes: 60 },
      { count: 1, minutes: 90 },
    ],
    minSessions: 4,
    treatmentWeeks: 16,
    windows: afterSchool,
  });
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: async () => {
      const body = {
        code: d.code.trim(),
        place: d.place,
        referral: { source: d.source, date: d.date },
        ageAtStart: Number(d.age),
        ...(d.gender ? { gender: d.gender } : {}),
        ...(d.receivingUnit ? { receivingUnit: d.receivingUnit } : {}),
        familyTherapist: d.familyTherapist,
        individualTherapist: d.individualTherapist,
        sessions: d.sessions.map((s, i) => ({ kind: kinds[i] ?? 'family', count: s.count, minutes: s.minutes })),
        minSessions: d.minSessions,
        windows: windowsOf(d.windows),
        treatmentWeeks: d.treatmentWeeks,
        maxSessionsPerDay: 1,
      };
      return unwrap(await api.POST('/families', { body, params: { header: { 'Idempotency-Key': keyFor(body) } } }));
    },
    onSuccess: async (f) => {
      await qc.invalidateQueries({ queryKey: ['families'] });
      props.onDone(f);
    },
    onError: () => focusFirstInvalid(form.current),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    const code = codeProblem(d.code);
    if (code) errors['code'] = code;
    if (!d.place) errors['place'] = 'Välj kommun.';
    if (!d.date) errors['referral.date'] = 'Ange remissdatum.';
    const age = Number(d.age);
    if (!d.age || !Number.isInteger(age) || age < 12 || age > 18) errors['ageAtStart'] = 'Ange en ålder 12–18 år.';
    if (!d.familyTherapist) errors['familyTherapist'] = 'Välj familjeterapeut.';
    if (!d.individualTherapist) errors['individualTherapist'] = 'Välj individualterapeut.';
    checkWindows(d.windows, errors);
    setClientErrors(errors);
    if (Object.keys(errors).length) return focusFirstInvalid(form.current);
    create.mutate();
  };
  const error = errorsFrom(clientErrors, create.error);
  return (
    <Dialog title="Ny remiss" onClose={props.onClose} wide>
      <form ref={form} onSubmit={submit} noValidate>
        <p className="warning">
          Registrera bara ärendets <strong>pseudonyma kod</strong>. Skriv aldrig namn, personnummer eller diagnoser: systemet sparar inga sådana
          uppgifter.
        </p>
        <div className="row">
          <Field label="Ärendekod" hint="Till exempel KAL-2026-07: inga namn, inga personnummer." error={error('code')}>
            <input value={d.code} onChange={(e) => setD({ ...d, code: e.target.value })} autoComplete="off" spellCheck={false} />
          </Field>
          <Field label="Kommun" error={error('place')}>
            <select value={d.place} onChange={(e) => setD({ ...d, place: e.target.value })}>
              <option value="">Välj kommun</option>
              {(team.data?.places ?? []).map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </Field>
        </div>
        <div className="row">
          <Field label="Remitterad från" error={error('referral.source')}>
            <select value={d.source} onChange={(e) => setD({ ...d, source: e.target.value as typeof d.source })}>
              <option value="socialtjanst">Socialtjänsten</option>
              <option value="bup">BUP</option>
            </select>
          </Field>
          <Field label="Remissdatum" error={error('referral.date')}>
            <input type="date" value={d.date} onChange={(e) => setD({ ...d, date: e.target.value })} />
          </Field>
          <Field label="Ålder vid start" hint="12–18 år (endast för statistiken)." error={error('ageAtStart')}>
            <input type="number" min={12} max={18} inputMode="numeric" value={d.age} onChange={(e) => setD({ ...d, age: e.target.value })} />
          </Field>
          <Field label="Kön (valfritt)" error={error('gender')}>
            <select value={d.gender} onChange={(e) => setD({ ...d, gender: e.target.value as typeof d.gender })}>
              <option value="">Ej angivet</option>
              <option value="girl">Flicka</option>
              <option value="boy">Pojke</option>
              <option value="other">Annat</option>
            </select>
          </Field>
          <Field label="Lämnas över till (valfritt)" error={error('receivingUnit')}>
            <select value={d.receivingUnit} onChange={(e) => setD({ ...d, receivingUnit: e.target.value as typeof d.receivingUnit })}>
              <option value="">Samma som remittenten</option>
              <option value="socialtjanst">Socialtjänsten</option>
              <option value="bup">BUP</option>
            </select>
          </Field>
        </div>
        <h3>Planering</h3>
        <p className="hint">Kan ändras när behandlingen startar.</p>
        <PairFields
          staff={staff.data ?? []}
          familyTherapist={d.familyTherapist}
          individualTherapist={d.individualTherapist}
          onChange={(p) => setD({ ...d, ...p })}
          error={error}
        />
        <fieldset>
          <legend>Besök per vecka</legend>
          <table className="dense">
            <thead>
              <tr>
                <th scope="col">Slag</th>
                <th scope="col">Antal</th>
                <th scope="col">Minuter</th>
              </tr>
            </thead>
            <tbody>
              {d.sessions.map((s, i) => {
                const kind = kinds[i] ?? 'family';
                const message = error(`sessions.${i}`);
                const set = (patch: Partial<typeof s>) => setD({ ...d, sessions: d.sessions.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
                return (
                  <tr key={kind}>
                    <th scope="row">{kindLabel[kind]}</th>
                    <td>
                      <input
                        type="number"
                        min={0}
                        max={7}
                        aria-label={`Antal ${kindLabel[kind]}sbesök`}
                        value={s.count}
                        onChange={(e) => set({ count: Number(e.target.value) })}
                        aria-invalid={message ? true : undefined}
                      />
                    </td>
                    <td>
                      <input
                        type="number"
                        min={15}
                        max={240}
                        step={15}
                        aria-label={`Minuter per ${kindLabel[kind]}sbesök`}
                        value={s.minutes}
                        onChange={(e) => set({ minutes: Number(e.target.value) })}
                        aria-invalid={message ? true : undefined}
                      />
                      {message && <span className="field-error"> {message}</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {fieldError(create.error, 'sessions') && !d.sessions.some((_, i) => error(`sessions.${i}`)) && (
            <p className="field-error">{fieldError(create.error, 'sessions')}</p>
          )}
          <div className="row">
            <Field label="Minst antal besök per vecka" error={error('minSessions')}>
              <input type="number" min={0} max={14} value={d.minSessions} onChange={(e) => setD({ ...d, minSessions: Number(e.target.value) })} />
            </Field>
            <Field label="Behandlingens längd (veckor)" error={error('treatmentWeeks')}>
              <input
                type="number"
                min={8}
                max={26}
                value={d.treatmentWeeks}
                onChange={(e) => setD({ ...d, treatmentWeeks: Number(e.target.value) })}
              />
            </Field>
          </div>
        </fieldset>
        <WindowsEditor rows={d.windows} onChange={(windows) => setD({ ...d, windows })} error={error} />
        <ProblemAlert
          error={create.error}
          shownFields={[
            'code',
            'place',
            'referral',
            'ageAtStart',
            'gender',
            'receivingUnit',
            'familyTherapist',
            'individualTherapist',
            'sessions',
            'minSessions',
            'treatmentWeeks',
            'windows',
          ]}
        />
        <FormActions pending={create.isPending} pendingLabel="Registrerar…" label="Registrera remissen" onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}

/* ---------- a family's summary and its next steps ---------- */

const windowText = (windows: Window[]) => windows.map((w) => `${(weekdayLabel[w.weekday] ?? '').slice(0, 3)} ${w.start}–${w.end}`).join(', ');

export function FamilySummary(props: { family: Family; staff: Staff[] | undefined }) {
  const f = props.family;
  return (
    <dl className="summary">
      <dt>Status</dt>
      <dd>
        {familyStatusLabel[f.status]}
        {f.declineReason ? ` (${declineReasonLabel[f.declineReason]})` : ''}
      </dd>
      <dt>Kommun</dt>
      <dd>{f.place}</dd>
      <dt>Remiss</dt>
      <dd>
        {sourceLabel[f.referral.source]}, {f.referral.date}
      </dd>
      <dt>Ung person</dt>
      <dd>
        {f.ageAtStart} år{f.gender ? `, ${genderLabel[f.gender]}` : ''}
      </dd>
      <dt>Terapeuter</dt>
      <dd>
        {staffName(props.staff, f.familyTherapist)}, {staffName(props.staff, f.individualTherapist)}
      </dd>
      <dt>Besök</dt>
      <dd>
        {f.sessions
          .filter((s) => s.count > 0)
          .map((s) => `${s.count} × ${kindLabel[s.kind]} ${s.minutes} min`)
          .join(', ')}
        ; minst {f.minSessions} i veckan
      </dd>
      <dt>Fönster</dt>
      <dd>{windowText(f.windows)}</dd>
      {f.treatmentStart && (
        <>
          <dt>Behandling</dt>
          <dd>
            {f.treatmentStart} – {f.treatmentEnd ?? ''}
            {f.completion ? ` (${completionTypeLabel[f.completion.type]})` : ''}
          </dd>
        </>
      )}
      <dt>Version</dt>
      <dd>{f.version}</dd>
    </dl>
  );
}

const startFieldsOf = (f: Family) => ({
  familyTherapist: f.familyTherapist,
  individualTherapist: f.individualTherapist,
  windows: windowRowsOf(f.windows),
  treatmentWeeks: f.treatmentWeeks,
});

type TransitionBody = paths['/families/{code}/status']['post']['requestBody']['content']['application/json'];

export type FamilyAction = 'accept' | 'decline' | 'start' | 'complete';
const actionTitle: Record<FamilyAction, string> = { accept: 'Anta', decline: 'Avböj', start: 'Starta behandling', complete: 'Avsluta behandling' };

/**
 * One step in a family's course, in a dialog named with its code (never in the URL). The dialog keeps the version it
 * read; after a 409 it shows the latest record and the person chooses to continue from it, with the form as it was.
 */
export function FamilyActionDialog(props: {
  action: FamilyAction;
  family: Family;
  latest: Family | undefined;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { api } = useApp();
  const qc = useQueryClient();
  const staff = useStaff();
  const keyFor = useIdempotencyKey();
  const form = useRef<HTMLFormElement>(null);
  const [base, setBase] = useState(props.family);
  const [reason, setReason] = useState('');
  const [start, setStart] = useState({ ...startFieldsOf(props.family), startDate: isoDate(now()) });
  const [end, setEnd] = useState({ endDate: isoDate(now()), completionType: '', outcomes: {} as Record<string, string> });
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const code = base.code;
  const transition = async (body: TransitionBody): Promise<Family> =>
    unwrap(await api.POST('/families/{code}/status', { params: { path: { code }, header: { 'Idempotency-Key': keyFor({ code, ...body }) } }, body }));
  const save = useMutation({
    mutationFn: async (): Promise<string> => {
      if (props.action === 'accept') {
        await transition({ to: 'accepted', version: base.version });
        return `${code} är antagen.`;
      }
      if (props.action === 'decline') {
        await transition({ to: 'declined', version: base.version, reason: reason as NonNullable<TransitionBody['reason']> });
        return `${code} är avböjd (${declineReasonLabel[reason]}).`;
      }
      if (props.action === 'start') {
        // The pair, windows and length are the family's fields (PATCH); the status change is its own step. The API has
        // no single call for both: see the report. The second step sends the version the first one returned.
        const windows = windowsOf(start.windows);
        const patch = {
          ...(start.familyTherapist !== base.familyTherapist ? { familyTherapist: start.familyTherapist } : {}),
          ...(start.individualTherapist !== base.individualTherapist ? { individualTherapist: start.individualTherapist } : {}),
          ...(JSON.stringify(windows) !== JSON.stringify(base.windows) ? { windows } : {}),
          ...(start.treatmentWeeks !== base.treatmentWeeks ? { treatmentWeeks: start.treatmentWeeks } : {}),
        };
        let version = base.version;
        if (Object.keys(patch).length > 0) {
          const updated = unwrap(await api.PATCH('/families/{code}', { params: { path: { code } }, body: { version, ...patch } }));
          setBase(updated);
          version = updated.version;
        }
        const active = await transition({ to: 'active', version, startDate: start.startDate });
        return `Behandlingen för ${code} startar ${active.treatmentStart ?? ''} och slutar enligt plan ${active.treatmentEnd ?? ''}.`;
      }
      const outcomes = Object.fromEntries(Object.entries(end.outcomes).filter(([, v]) => v));
      await transition({
        to: 'completed',
        version: base.version,
        endDate: end.endDate,
        completionType: end.completionType as NonNullable<TransitionBody['completionType']>,
        ...(Object.keys(outcomes).length ? { outcomes } : {}),
      });
      return `Behandlingen för ${code} är avslutad.`;
    },
    onSuccess: async (message) => {
      // A started or ended treatment changes the handover proposals too.
      await Promise.all([qc.invalidateQueries({ queryKey: ['families'] }), qc.invalidateQueries({ queryKey: ['handovers'] })]);
      props.onDone(message);
    },
    onError: async (e) => {
      if (e instanceof ApiProblem && e.isConflict) await qc.invalidateQueries({ queryKey: ['families'] });
      focusFirstInvalid(form.current);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (props.action === 'decline' && !reason) errors['reason'] = 'Välj ett skäl.';
    if (props.action === 'start') {
      if (!start.familyTherapist) errors['familyTherapist'] = 'Välj familjeterapeut.';
      if (!start.individualTherapist) errors['individualTherapist'] = 'Välj individualterapeut.';
      if (!start.startDate) errors['startDate'] = 'Ange startdatum.';
      checkWindows(start.windows, errors);
    }
    if (props.action === 'complete') {
      if (!end.completionType) errors['completionType'] = 'Välj hur behandlingen avslutades.';
      if (!end.endDate) errors['endDate'] = 'Ange slutdatum.';
      else if (end.endDate > isoDate(now())) errors['endDate'] = 'Slutdatum kan inte ligga i framtiden.';
    }
    setClientErrors(errors);
    if (Object.keys(errors).length) return focusFirstInvalid(form.current);
    save.mutate();
  };
  const error = errorsFrom(clientErrors, save.error);
  const conflict = save.error instanceof ApiProblem && save.error.isConflict;
  const latest = props.latest;
  return (
    <Dialog title={`${actionTitle[props.action]} ${code}`} onClose={props.onClose} wide={props.action !== 'accept' && props.action !== 'decline'}>
      <form ref={form} onSubmit={submit} noValidate>
        <FamilySummary family={base} staff={staff.data} />
        {props.action === 'decline' && (
          <Field label="Skäl" error={error('reason')}>
            <select value={reason} onChange={(e) => setReason(e.target.value)}>
              <option value="">Välj skäl</option>
              {Object.entries(declineReasonLabel).map(([k, l]) => (
                <option key={k} value={k}>
                  {l}
                </option>
              ))}
            </select>
          </Field>
        )}
        {props.action === 'start' && (
          <>
            <div className="row">
              <Field label="Första behandlingsdag" error={error('startDate')}>
                <input type="date" value={start.startDate} onChange={(e) => setStart({ ...start, startDate: e.target.value })} />
              </Field>
              <Field label="Behandlingens längd (veckor)" error={error('treatmentWeeks')}>
                <input
                  type="number"
                  min={8}
                  max={26}
                  value={start.treatmentWeeks}
                  onChange={(e) => setStart({ ...start, treatmentWeeks: Number(e.target.value) })}
                />
              </Field>
            </div>
            <PairFields
              staff={staff.data ?? []}
              familyTherapist={start.familyTherapist}
              individualTherapist={start.individualTherapist}
              onChange={(p) => setStart({ ...start, ...p })}
              error={error}
            />
            <WindowsEditor rows={start.windows} onChange={(windows) => setStart({ ...start, windows })} error={error} />
          </>
        )}
        {props.action === 'complete' && (
          <>
            <div className="row">
              <Field label="Sista behandlingsdag" error={error('endDate')}>
                <input type="date" value={end.endDate} max={isoDate(now())} onChange={(e) => setEnd({ ...end, endDate: e.target.value })} />
              </Field>
              <Field label="Hur behandlingen avslutades" error={error('completionType')}>
                <select value={end.completionType} onChange={(e) => setEnd({ ...end, completionType: e.target.value })}>
                  <option value="">Välj</option>
                  {Object.entries(completionTypeLabel).map(([k, l]) => (
                    <option key={k} value={k}>
                      {l}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <fieldset>
              <legend>Utfall vid avslut</legend>
              <p className="hint">Till utvärderingen (anonymt). Lämna tomt det ni inte vet.</p>
              <div className="outcomes">
                {outcomeFields.map((o) => (
                  <Field key={o.key} label={o.label} error={error(`outcomes.${o.key}`)}>
                    <select
                      value={end.outcomes[o.key] ?? ''}
                      onChange={(e) => setEnd({ ...end, outcomes: { ...end.outcomes, [o.key]: e.target.value } })}
                    >
                      <option value="">Ej angivet</option>
                      {Object.entries(o.options).map(([k, l]) => (
                        <option key={k} value={k}>
                          {l}
                        </option>
                      ))}
                    </select>
                  </Field>
                ))}
              </div>
            </fieldset>
          </>
        )}
        <ProblemAlert
          error={save.error}
          shownFields={[
            'reason',
            'startDate',
            'endDate',
            'completionType',
            'outcomes',
            'familyTherapist',
            'individualTherapist',
            'windows',
            'treatmentWeeks',
          ]}
          onReload={
            conflict && latest
              ? () => {
                  // The start form's fields the person left alone take the latest values; what they changed stays.
                  const read = startFieldsOf(base);
                  const fresh = startFieldsOf(latest);
                  setStart((s) => ({
                    ...s,
                    ...Object.fromEntries(
                      (['familyTherapist', 'individualTherapist', 'windows', 'treatmentWeeks'] as const).map((k) => [
                        k,
                        JSON.stringify(s[k]) === JSON.stringify(read[k]) ? fresh[k] : s[k],
                      ]),
                    ),
                  }));
                  setBase(latest);
                }
              : undefined
          }
        />
        {conflict && latest && latest.version !== base.version && (
          <div className="warning" role="status">
            <p>
              Senaste versionen ({latest.version}, du läste {base.version}):
            </p>
            <FamilySummary family={latest} staff={staff.data} />
          </div>
        )}
        <FormActions pending={save.isPending} label={actionTitle[props.action]} danger={props.action === 'decline'} onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}

export const familyStatusOrder = ['referred', 'accepted', 'active', 'completed', 'declined'] as const;
export const whenLabel = (date: string | undefined) => (date ? local(date).toFormat('d MMM yyyy') : '');
