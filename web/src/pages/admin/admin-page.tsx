import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { usePageTitle } from '../../lib/page-title';
import { AddStaffDialog } from '../staff/add-staff-dialog';
import { ProblemAlert } from '../../ui/form';

interface TeamRow {
  id: string;
  name: string;
  places: string[];
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
      <div className="table-wrap">
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
      </div>
      {inviting && (
        <AddStaffDialog
          title={`Bjud in samordnare: ${inviting.name}`}
          submitLabel="Bjud in"
          forTeam={inviting}
          places={inviting.places}
          invalidates={['coordinators', inviting.id]}
          onClose={() => setInviting(undefined)}
        />
      )}
    </section>
  );
}
