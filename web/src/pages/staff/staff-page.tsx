import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { roleLabel } from '../../lib/labels';
import { usePageTitle } from '../../lib/page-title';
import { Dialog } from '../../ui/dialog';
import { Field, ProblemAlert, fieldError } from '../../ui/form';
import type { StaffMember } from '../week/week-data';
import { weekKeys } from '../week/week-data';
import { AddStaffDialog } from './add-staff-dialog';

type Role = 'coordinator' | 'family_therapist' | 'individual_therapist';
/** One person: change the role (the sign-in's group follows), or deactivate (the sign-in is disabled at once). */
function StaffDialog(props: { member: StaffMember; onClose: () => void }) {
  const { api } = useApp();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<Role>(props.member.role);
  const refresh = () => queryClient.invalidateQueries({ queryKey: weekKeys.staff });
  const update = useMutation({
    mutationFn: async () =>
      unwrap(await api.PATCH('/staff/{staffId}', { params: { path: { staffId: props.member.id } }, body: { version: props.member.version, role } })),
    onSuccess: refresh,
  });
  const deactivate = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/staff/{staffId}/deactivate', { params: { path: { staffId: props.member.id } }, body: { version: props.member.version } }),
      ),
    onSuccess: refresh,
  });
  return (
    <Dialog title={`Personal: ${props.member.id}`} onClose={props.onClose}>
      <dl className="facts">
        <dt>Namn</dt>
        <dd>{props.member.name}</dd>
        <dt>E-post</dt>
        <dd>{props.member.email ?? '–'}</dd>
        <dt>Utgår från</dt>
        <dd>{props.member.base}</dd>
      </dl>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate();
        }}
      >
        <Field label="Roll" error={fieldError(update.error, 'role')}>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {(['family_therapist', 'individual_therapist', 'coordinator'] as const).map((r) => (
              <option key={r} value={r}>
                {roleLabel[r]}
              </option>
            ))}
          </select>
        </Field>
        <ProblemAlert error={update.error ?? deactivate.error} shownFields={['role']} onReload={() => void refresh()} />
        {update.isSuccess && (
          <p className="notice" role="status">
            Rollen är ändrad.
          </p>
        )}
        {deactivate.isSuccess && (
          <p className="notice" role="status">
            {props.member.id} är avaktiverad: inloggningen är stängd och kalenderflödena slutar gälla.
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={update.isPending || role === props.member.role}>
            Spara roll
          </button>
          {props.member.active && !deactivate.isSuccess && (
            <button type="button" className="danger" disabled={deactivate.isPending} onClick={() => deactivate.mutate()}>
              Avaktivera
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}

/** *Personal*: the team's staff, adding a colleague (with their sign-in), changing a role, deactivating. */
export default function StaffPage() {
  usePageTitle('Personal');
  const { api, person } = useApp();
  const staff = useQuery({ queryKey: weekKeys.staff, queryFn: async () => unwrap(await api.GET('/staff')).staff });
  const team = useQuery({
    queryKey: weekKeys.team,
    queryFn: async () => unwrap(await api.GET('/teams/{teamId}', { params: { path: { teamId: person.teamId ?? '' } } })),
  });
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<StaffMember | undefined>();
  return (
    <section aria-labelledby="staff-heading">
      <div className="toolbar">
        <h1 id="staff-heading">Personal</h1>
        <span className="spacer" />
        <button type="button" onClick={() => setAdding(true)}>
          Ny personal
        </button>
      </div>
      <ProblemAlert error={staff.error} />
      <div className="table-wrap">
        <table>
          <caption>Teamets personal</caption>
          <thead>
            <tr>
              <th scope="col">Kortnamn</th>
              <th scope="col">Roll</th>
              <th scope="col">Utgår från</th>
              <th scope="col">E-post</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {(staff.data ?? []).map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  <button type="button" className="ghost" onClick={() => setOpen(s)}>
                    {s.id}
                  </button>
                </th>
                <td>{roleLabel[s.role]}</td>
                <td>{s.base}</td>
                <td>{s.email ?? '–'}</td>
                <td>{s.active ? <span className="badge ok">aktiv</span> : <span className="badge warn">avaktiverad</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {adding && (
        <AddStaffDialog
          title="Ny personal"
          submitLabel="Lägg till"
          invalidates={weekKeys.staff}
          places={team.data?.places ?? ['Kalmar']}
          onClose={() => setAdding(false)}
        />
      )}
      {open && <StaffDialog member={open} onClose={() => setOpen(undefined)} />}
    </section>
  );
}
