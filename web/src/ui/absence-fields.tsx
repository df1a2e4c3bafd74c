import { useId } from 'react';
import type { operations } from '../api/schema';
import { absenceKindLabel, kindLabel } from '../lib/labels';
import { hhmm, local } from '../lib/time';
import { Field, fieldError } from './form';

type AbsenceBody = operations['createAbsence']['requestBody']['content']['application/json'];
type Affected = operations['createAbsence']['responses'][201]['content']['application/json']['affected'][number];

/** What a person fills in to register an absence: whole days, or part of one day. */
export interface AbsenceDraft {
  kind: AbsenceBody['kind'];
  span: 'days' | 'part';
  from: string;
  to: string;
  date: string;
  start: string;
  end: string;
}

export const absenceDraft = (day: string): AbsenceDraft => ({
  kind: 'sick',
  span: 'days',
  from: day,
  to: day,
  date: day,
  start: '13:00',
  end: '16:00',
});

export const absenceBody = (d: AbsenceDraft): AbsenceBody =>
  d.span === 'days' ? { kind: d.kind, from: d.from, to: d.to } : { kind: d.kind, start: `${d.date}T${d.start}`, end: `${d.date}T${d.end}` };

/** The first day the absence covers (its week is the one a repair is proposed for). */
export const absenceFirstDay = (d: AbsenceDraft) => (d.span === 'days' ? d.from : d.date);

export const absenceFieldNames = ['kind', 'from', 'to', 'start', 'end'];

/** Orsak, Hur länge?, and the days or the hours: the same fields on the therapist's phone and in the console. */
export function AbsenceFields(props: { draft: AbsenceDraft; onChange: (d: AbsenceDraft) => void; error: unknown }) {
  const { draft: d, onChange, error } = props;
  const spanName = useId();
  const set = (patch: Partial<AbsenceDraft>) => onChange({ ...d, ...patch });
  return (
    <>
      <Field label="Orsak" error={fieldError(error, 'kind')}>
        <select value={d.kind} onChange={(e) => set({ kind: e.target.value as AbsenceDraft['kind'] })}>
          {(['sick', 'vacation', 'parental', 'training', 'other'] as const).map((k) => (
            <option key={k} value={k}>
              {absenceKindLabel[k]}
            </option>
          ))}
        </select>
      </Field>
      <fieldset>
        <legend>Hur länge?</legend>
        <label className="choice">
          <input type="radio" name={spanName} checked={d.span === 'days'} onChange={() => set({ span: 'days' })} /> En eller flera hela dagar
        </label>
        <label className="choice">
          <input type="radio" name={spanName} checked={d.span === 'part'} onChange={() => set({ span: 'part' })} /> Del av en dag
        </label>
      </fieldset>
      {d.span === 'days' ? (
        <div className="row">
          <Field label="Från och med" error={fieldError(error, 'from')}>
            <input
              type="date"
              value={d.from}
              required
              onChange={(e) => set({ from: e.target.value, to: d.to < e.target.value ? e.target.value : d.to })}
            />
          </Field>
          <Field label="Till och med" error={fieldError(error, 'to')}>
            <input type="date" value={d.to} min={d.from} required onChange={(e) => set({ to: e.target.value })} />
          </Field>
        </div>
      ) : (
        <div className="row">
          <Field label="Dag" error={fieldError(error, 'start')}>
            <input type="date" value={d.date} required onChange={(e) => set({ date: e.target.value })} />
          </Field>
          <Field label="Från klockan">
            <input type="time" value={d.start} required onChange={(e) => set({ start: e.target.value })} />
          </Field>
          <Field label="Till klockan" error={fieldError(error, 'end')}>
            <input type="time" value={d.end} required onChange={(e) => set({ end: e.target.value })} />
          </Field>
        </div>
      )}
    </>
  );
}

/** When an absence is, in words: "tis 8/12", "8/12–11/12" or "tis 8/12 13:00–16:00". */
export const absenceSpan = (a: { from: string; to: string; startLocal?: string; endLocal?: string }) =>
  a.startLocal
    ? `${local(a.startLocal).toFormat('ccc d/M HH:mm')}–${hhmm(a.endLocal ?? '')}`
    : a.from === a.to
      ? local(a.from).toFormat('ccc d/M')
      : `${local(a.from).toFormat('d/M')}–${local(a.to).toFormat('d/M')}`;

/** The visits and meetings a registered absence touches, as the API listed them. */
export function AffectedList(props: { affected: Affected[] }) {
  return (
    <ul className="list">
      {props.affected.map((e) => (
        <li key={e.ref}>
          {local(e.startLocal).toFormat('ccc d/M')} {hhmm(e.startLocal)}–{hhmm(e.endLocal)}:{' '}
          {e.type === 'visit'
            ? `${e.family ?? ''} (${kindLabel[e.visitKind ?? ''] ?? e.visitKind ?? 'besök'}, ${e.place})`
            : `${e.title ?? 'möte'} (${e.place})`}
        </li>
      ))}
    </ul>
  );
}
