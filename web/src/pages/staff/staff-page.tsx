import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { newIdempotencyKey } from '../../api/client';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { roleLabel } from '../../lib/labels';
import { usePageTitle } from '../../lib/page-title';
import { Dialog } from '../../ui/dialog';
import { Field, ProblemAlert, fieldError } from '../../ui/form';
import type { StaffMember } from '../week/week-data';
import { weekKeys } from '../week/week-data';

type Role = 'coordinator' | 'family_therapist' | 'individual_therapist';
const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start, end }));

/** *Ny personal*: a staff member with the e-mail their sign-in is created for (an invitation goes to it). */
function AddStaffDialog(props: { places: string[]; onClose: () => void }) {
  const { api } = useApp();
  const queryClient = useQueryClient();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('family_therapist');
  const [base, setBase] = useState(props.places[0] ?? 'Kalmar');
  const [email, setEmail] = useState('');
  const [mobile, setMobile] = useState('');
  const [start, setStart] = useState('08:00');
  const [end, setEnd] = useState('17:00');
  const [key] = useState(newIdempotencyKey);
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/staff', {
          params: { header: { 'Idempotency-Key': key } },
          body: { id, name, role, base, email, ...(mobile ? { mobile } : {}), workingHours: weekdays(start, end) },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: weekKeys.staff }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Dialog title="Ny personal" onClose={props.onClose}>
      {save.isSuccess ? (
        <div>
          <p className="notice" role="status">
            {save.data.id} är tillagd. En inloggning skapas för {save.data.email}; inbjudan går dit.
          </p>
          <button type="button" className="secondary" onClick={props.onClose}>
            Klar
          </button>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          <div className="row">
            <Field label="Kortnamn (id)" hint="Små bokstäver, t.ex. maria" error={fieldError(save.error, 'id')}>
              <input value={id} onChange={(e) => setId(e.target.value)} autoComplete="off" required />
            </Field>
            <Field label="Namn" error={fieldError(save.error, 'name')}>
              <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" required />
            </Field>
          </div>
          <div className="row">
            <Field label="Roll" error={fieldError(save.error, 'role')}>
              <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {(['family_therapist', 'individual_therapist', 'coordinator'] as const).map((r) => (
                  <option key={r} value={r}>
                    {roleLabel[r]}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Utgår från" error={fieldError(save.error, 'base')}>
              <select value={base} onChange={(e) => setBase(e.target.value)}>
                {props.places.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </Field>
          </div>
          <div className="row">
            <Field label="E-post (inloggning)" error={fieldError(save.error, 'email')}>
              <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" required />
            </Field>
            <Field label="Mobil (för sms)" hint="+46…" error={fieldError(save.error, 'mobile')}>
              <input type="tel" value={mobile} onChange={(e) => setMobile(e.target.value)} autoComplete="off" />
            </Field>
          </div>
          <div className="row">
            <Field label="Arbetar från (mån–fre)" error={fieldError(save.error, 'workingHours')}>
              <input type="time" value={start} onChange={(e) => setStart(e.target.value)} />
            </Field>
            <Field label="Arbetar till">
              <input type="time" value={end} onChange={(e) => setEnd(e.target.value)} />
            </Field>
          </div>
          <ProblemAlert error={save.error} shownFields={['id', 'name', 'role', 'base', 'email', 'mobile', 'workingHours']} />
          <div className="actions">
            <button type="submit" disabled={save.isPending}>
              Lägg till
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

/** One person: change the role (the sign-in's group follows), or deactivate (the sign-in is disabled at once). */
function StaffDialog(props: { member: StaffMember; onClose: () => void }) {
  const { api } = useApp();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<Role>(props.member.role);
  const refresh = () => queryClient.invalidateQueries({ queryKey: weekKeys.staff });
  const update = useMutation({
    mutationFn: async () => unwrap(await api.PATCH('/staff/{staffId}', { params: { path: { staffId: props.member.id } }, body: { version: props.member.version, role } })),
    onSuccess: refresh,
  });
  const deactivate = useMutation({
    mutationFn: async () => unwrap(await api.POST('/staff/{staffId}/deactivate', { params: { path: { staffId: props.member.id } }, body: { version: props.member.version } })),
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
  const team = useQuery({ queryKey: weekKeys.team, queryFn: async () => unwrap(await api.GET('/teams/{teamId}', { params: { path: { teamId: person.teamId ?? '' } } })) });
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
      {adding && <AddStaffDialog places={team.data?.places ?? ['Kalmar']} onClose={() => setAdding(false)} />}
      {open && <StaffDialog member={open} onClose={() => setOpen(undefined)} />}
    </section>
  );
}
