import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { newIdempotencyKey } from '../../api/client';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { kindLabel } from '../../lib/labels';
import { hhmm, local, longDay } from '../../lib/time';
import { ProblemAlert } from '../../ui/form';

/**
 * *Föreslå omplanering*: the repair after absences for one week — what each knocked-out visit would become and why the
 * better options were not possible; committing it is one request with the versions read (409 if anything changed).
 */
export function ReplanPanel(props: { week: string; onDone: () => void }) {
  const { api } = useApp();
  const queryClient = useQueryClient();
  const proposal = useQuery({
    queryKey: ['replan', props.week],
    queryFn: async () => unwrap(await api.POST('/weeks/{week}/replan', { params: { path: { week: props.week } } })),
    staleTime: 0,
    gcTime: 0,
  });
  const [key, setKey] = useState(newIdempotencyKey);
  const commit = useMutation({
    mutationFn: async () => {
      const moves = (proposal.data?.moves ?? []).map((m) => ({ visit: m.visit, version: m.version, start: m.start, end: m.end }));
      return unwrap(await api.POST('/weeks/{week}/replan/commit', { params: { path: { week: props.week }, header: { 'Idempotency-Key': key } }, body: { moves } }));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['visits'] }),
  });
  const data = proposal.data;
  return (
    <section aria-labelledby="replan-heading" className="card">
      <h2 id="replan-heading">Omplanering vecka {Number(props.week.slice(6))}</h2>
      {proposal.isPending && <p role="status">Räknar fram en omplanering…</p>}
      <ProblemAlert error={proposal.error} />
      {data && (
        <>
          <p>
            {data.stats.affected} besök berörs av frånvaro: {data.stats.moved} kan flyttas, {data.stats.unplaced} får ingen ny tid.
          </p>
          {data.moves.length > 0 && (
            <table>
              <caption>Flyttas</caption>
              <thead>
                <tr>
                  <th scope="col">Familj</th>
                  <th scope="col">Slag</th>
                  <th scope="col">Från</th>
                  <th scope="col">Till</th>
                  <th scope="col" className="num">
                    Extra resa
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.moves.map((m) => (
                  <tr key={m.visit}>
                    <th scope="row">{m.family}</th>
                    <td>{kindLabel[m.kind]}</td>
                    <td>
                      {longDay(local(m.startLocal))} {hhmm(m.startLocal)}
                    </td>
                    <td>
                      {longDay(local(m.start))} {hhmm(m.start)}
                    </td>
                    <td className="num">{m.extraTravelMinutes} min</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {data.unplaced.length > 0 && (
            <table>
              <caption>Får ingen ny tid</caption>
              <thead>
                <tr>
                  <th scope="col">Familj</th>
                  <th scope="col">Slag</th>
                  <th scope="col">Nu</th>
                  <th scope="col">Varför</th>
                </tr>
              </thead>
              <tbody>
                {data.unplaced.map((u) => (
                  <tr key={u.visit}>
                    <th scope="row">{u.family}</th>
                    <td>{kindLabel[u.kind]}</td>
                    <td>
                      {longDay(local(u.startLocal))} {hhmm(u.startLocal)}
                    </td>
                    <td>{u.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <ProblemAlert
            error={commit.error}
            onReload={() => {
              setKey(newIdempotencyKey());
              commit.reset();
              void proposal.refetch();
            }}
          />
          {commit.isSuccess ? (
            <p className="notice" role="status">
              Omplaneringen är bokad: {commit.data.moved.length} besök flyttade.
            </p>
          ) : (
            <div className="actions">
              <button type="button" disabled={data.moves.length === 0 || commit.isPending} onClick={() => commit.mutate()}>
                Boka omplaneringen
              </button>
            </div>
          )}
        </>
      )}
      <button type="button" className="secondary" onClick={props.onDone}>
        Stäng omplaneringen
      </button>
    </section>
  );
}
