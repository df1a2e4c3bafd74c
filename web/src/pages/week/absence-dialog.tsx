import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { newIdempotencyKey } from '../../api/client';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { isoWeekOf, local } from '../../lib/time';
import { AbsenceFields, AffectedList, absenceBody, absenceDraft, absenceFieldNames, absenceFirstDay } from '../../ui/absence-fields';
import { Dialog } from '../../ui/dialog';
import { Field, ProblemAlert, fieldError } from '../../ui/form';
import type { StaffMember } from './week-data';
import { weekKeys } from './week-data';

/**
 * *Registrera frånvaro*: whole days or part of a day for a staff member. The answer lists the visits and meetings it
 * touches; from there *Föreslå omplanering* opens the repair for that week.
 */
export function AbsenceDialog(props: { staff: StaffMember[]; defaultDate: string; onClose: () => void; onReplan: (week: string) => void }) {
  const { api } = useApp();
  const queryClient = useQueryClient();
  const [staffId, setStaffId] = useState(props.staff.find((s) => s.role !== 'coordinator')?.id ?? '');
  const [draft, setDraft] = useState(() => absenceDraft(props.defaultDate));
  const [key] = useState(newIdempotencyKey);
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/staff/{staffId}/absences', {
          params: { path: { staffId }, header: { 'Idempotency-Key': key } },
          body: absenceBody(draft),
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: weekKeys.absences(staffId) }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const firstWeek = isoWeekOf(local(absenceFirstDay(draft)));

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
              <AffectedList affected={save.data.affected} />
            </>
          )}
          <div className="actions">
            {save.data.affected.some((a) => a.type === 'visit') && (
              <button
                type="button"
                onClick={() =>
                  props.onReplan(isoWeekOf(local(save.data.affected.find((a) => a.type === 'visit')?.startLocal ?? absenceFirstDay(draft))))
                }
              >
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
          <AbsenceFields draft={draft} onChange={setDraft} error={save.error} />
          <ProblemAlert error={save.error} shownFields={['staffId', ...absenceFieldNames]} />
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
