import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { newIdempotencyKey } from '../../api/client';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { usePageTitle } from '../../lib/page-title';
import { Dialog } from '../../ui/dialog';
import { Field, ProblemAlert, fieldError } from '../../ui/form';

interface TeamRow {
  id: string;
  name: string;
  places: string[];
}

/** *Bjud in samordnare*: a team's coordinator with the e-mail their sign-in is created for (the invitation goes there). */
function InviteDialog(props: { team: TeamRow; onClose: () => void }) {
  const { api } = useApp();
  const queryClient = useQueryClient();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [base, setBase] = useState(props.team.places[0] ?? '');
  const [key] = useState(newIdempotencyKey);
  const invite = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/staff', {
          params: { header: { 'Idempotency-Key': key } },
          body: { teamId: props.team.id, id, name, role: 'coordinator', base, email, workingHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '17:00' })) },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['coordinators', props.team.id] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    invite.mutate();
  };
  return (
    <Dialog title={`Bjud in samordnare: ${props.team.name}`} onClose={props.onClose}>
      {invite.isSuccess ? (
        <div>
          <p className="notice" role="status">
            {invite.data.id} är samordnare i {props.team.name}. Inbjudan till inloggningen går till {invite.data.email}.
          </p>
          <button type="button" className="secondary" onClick={props.onClose}>
            Klar
          </button>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          <div className="row">
            <Field label="Kortnamn (id)" hint="Små bokstäver, t.ex. karin" error={fieldError(invite.error, 'id')}>
              <input value={id} onChange={(e) => setId(e.target.value)} autoComplete="off" />
            </Field>
            <Field label="Namn" error={fieldError(invite.error, 'name')}>
              <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
            </Field>
          </div>
          <div className="row">
            <Field label="E-post (inloggning)" error={fieldError(invite.error, 'email')}>
              <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
            </Field>
            <Field label="Utgår från" error={fieldError(invite.error, 'base')}>
              <select value={base} onChange={(e) => setBase(e.target.value)}>
                {props.team.places.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </Field>
          </div>
          <ProblemAlert error={invite.error} shownFields={['id', 'name', 'email', 'base']} />
          <div className="actions">
            <button type="submit" disabled={invite.isPending}>
              Bjud in
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function Coordinators(props: { team: TeamRow }) {
  const { api } = useApp();
  const coordinators = useQuery({
    queryKey: ['coordinators', props.team.id],
    queryFn: async () => unwrap(await api.GET('/staff', { params: { query: { teamId: props.team.id } } })).staff,
  });
  if (coordinators.error) return <ProblemAlert error={coordinators.error} />;
  if (!coordinators.data) return <span className="muted">Laddar…</span>;
  if (coordinators.data.length === 0) return <span className="badge warn">ingen samordnare</span>;
  return (
    <ul className="plain">
      {coordinators.data.map((c) => (
        <li key={c.id}>
          {c.id} ({c.email ?? '–'}){c.active ? '' : ' · avaktiverad'}
        </li>
      ))}
    </ul>
  );
}

/** The administrator's page: the teams, their coordinators, and *Bjud in samordnare*. */
export default function AdminPage() {
  usePageTitle('Administration');
  const { api } = useApp();
  const teams = useQuery({ queryKey: ['teams'], queryFn: async () => unwrap(await api.GET('/teams')).teams });
  const [inviting, setInviting] = useState<TeamRow | undefined>();
  return (
    <section aria-labelledby="admin-heading">
      <h1 id="admin-heading">Team och samordnare</h1>
      <ProblemAlert error={teams.error} />
      <table>
        <caption>Teamen</caption>
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col">Orter</th>
            <th scope="col">Samordnare</th>
            <th scope="col">
              <span className="visually-hidden">Åtgärd</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(teams.data ?? []).map((t) => (
            <tr key={t.id}>
              <th scope="row">
                {t.name} <span className="muted">({t.id})</span>
              </th>
              <td>{t.places.length} kommuner</td>
              <td>
                <Coordinators team={t} />
              </td>
              <td>
                <button type="button" className="secondary" onClick={() => setInviting(t)} aria-label={`Bjud in samordnare till ${t.name}`}>
                  Bjud in samordnare
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {inviting && <InviteDialog team={inviting} onClose={() => setInviting(undefined)} />}
    </section>
  );
}
