import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { newIdempotencyKey } from '../../api/client';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { absenceKindLabel, kindLabel } from '../../lib/labels';
import { hhmm, isoWeekOf, local } from '../../lib/time';
import { Dialog } from '../../ui/dialog';
import { Field, ProblemAlert, fieldError } from '../../ui/form';
import type { StaffMember } from './week-data';
import { weekKeys } from './week-data';

type Kind = 'sick' | 'vacation' | 'parental' | 'training' | 'other';

/**
 * *Registrera frånvaro*: whole days or part of a day for a staff member. The answer lists the visits and meetings it
 * touches; from there *Föreslå omplanering* opens the repair for that week.
 */
export function AbsenceDialog(props: { staff: StaffMember[]; defaultDate: string; onClose: () => void; onReplan: (week: string) => void }) {
  const { api } = useApp();
  const queryClient = useQueryClient();
  const [staffId, setStaffId] = useState(props.staff.find((s) => s.role !== 'coordinator')?.id ?? '');
  const [kind, setKind] = useState<Kind>('sick');
  const [partDay, setPartDay] = useState(false);
  const [from, setFrom] = useState(props.defaultDate);
  const [to, setTo] = useState(props.defaultDate);
  const [start, setStart] = useState(`${props.defaultDate}T13:00`);
  const [end, setEnd] = useState(`${props.defaultDate}T15:00`);
  const [key] = useState(newIdempotencyKey);
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/staff/{staffId}/absences', {
          params: { path: { staffId }, header: { 'Idempotency-Key': key } },
          body: partDay ? { kind, start, end } : { kind, from, to },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: weekKeys.absences(staffId) }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const firstWeek = isoWeekOf(local(partDay ? start : `${from}T00:00`));

  return (
    <Dialog title="Registrera frånvaro" onClose={props.onClose}>
      {save.isSuccess ? (
        <div>
          <p className="notice" role="status">
            Frånvaron är registrerad för {staffId}.
          </p>
          {save.data.affected.length === 0 ? (
            <p>Inga besök eller möten berörs.</p>
          ) : (
            <>
              <h3>Berörs ({save.data.affected.length})</h3>
              <ul className="list">
                {save.data.affected.map((a) => (
                  <li key={a.ref}>
                    {a.startLocal.slice(0, 10)} {hhmm(a.startLocal)}–{hhmm(a.endLocal)} {a.type === 'visit' ? `${a.family ?? ''} ${kindLabel[a.visitKind ?? ''] ?? ''}` : (a.title ?? 'möte')} · {a.place}
                  </li>
                ))}
              </ul>
            </>
          )}
          <div className="actions">
            {save.data.affected.some((a) => a.type === 'visit') && (
              <button type="button" onClick={() => props.onReplan(isoWeekOf(local(save.data.affected.find((a) => a.type === 'visit')?.startLocal ?? `${from}T00:00`)))}>
                Föreslå omplanering
              </button>
            )}
            <button type="button" className="secondary" onClick={props.onClose}>
              Klar
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          <Field label="Person" error={fieldError(save.error, 'staffId')}>
            <select value={staffId} onChange={(e) => setStaffId(e.target.value)}>
              {props.staff.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.id}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Slag" error={fieldError(save.error, 'kind')}>
            <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              {(['sick', 'vacation', 'parental', 'training', 'other'] as const).map((k) => (
                <option key={k} value={k}>
                  {absenceKindLabel[k]}
                </option>
              ))}
            </select>
          </Field>
          <fieldset>
            <legend>Hur länge</legend>
            <label className="check">
              <input type="radio" name="span" checked={!partDay} onChange={() => setPartDay(false)} /> Hela dagar
            </label>
            <label className="check">
              <input type="radio" name="span" checked={partDay} onChange={() => setPartDay(true)} /> Del av dag
            </label>
          </fieldset>
          {partDay ? (
            <div className="row">
              <Field label="Från (datum och tid)" error={fieldError(save.error, 'start')}>
                <input type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} required />
              </Field>
              <Field label="Till (datum och tid)" error={fieldError(save.error, 'end')}>
                <input type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} required />
              </Field>
            </div>
          ) : (
            <div className="row">
              <Field label="Första dagen" error={fieldError(save.error, 'from')}>
                <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
              </Field>
              <Field label="Sista dagen" error={fieldError(save.error, 'to')}>
                <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
              </Field>
            </div>
          )}
          <ProblemAlert error={save.error} shownFields={['staffId', 'kind', 'start', 'end', 'from', 'to']} />
          <div className="actions">
            <button type="submit" disabled={save.isPending}>
              Registrera frånvaro
            </button>
            <span className="muted">Vecka {Number(firstWeek.slice(6))}</span>
          </div>
        </form>
      )}
    </Dialog>
  );
}
