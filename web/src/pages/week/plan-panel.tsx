import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { newIdempotencyKey } from '../../api/client';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { kindLabel } from '../../lib/labels';
import { ProblemAlert } from '../../ui/form';
import type { PlanProposal } from './week-data';
import { weekKeys } from './week-data';

/** Objective (a) and (b) of SPEC §4 in words: proven optimal, or how far from the bound it might be. */
function optimality(stats: PlanProposal['result']['stats']): string {
  if (stats.sessionsProvenOptimal) return 'Bevisat bästa möjliga: ingen plan kan placera fler besök eller lämna färre under målet.';
  if (stats.sessionsPlacedUpperBound !== undefined)
    return `Inte bevisat bäst: ingen plan kan placera fler än ${stats.sessionsPlacedUpperBound} besök.`;
  return 'Heuristikens plan (inte bevisad bäst).';
}

/**
 * The week's plan proposal beside the board: what it places, what it could not and why, whether it is proven
 * optimal; *Boka planen* books it, all or the families chosen, and shows what collided.
 */
export function PlanPanel(props: { week: string; proposal: PlanProposal; onDone: () => void }) {
  const { api } = useApp();
  const queryClient = useQueryClient();
  const { result } = props.proposal;
  const families = [...new Set(result.visits.map((v) => v.family))].sort();
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(families));
  const [key] = useState(newIdempotencyKey);
  const commit = useMutation({
    // The proposal exactly as propose returned it, and the families chosen (the API books all-or-nothing per family).
    mutationFn: async (families: string[]) =>
      unwrap(
        await api.POST('/weeks/{week}/plan/commit', {
          params: { path: { week: props.week }, header: { 'Idempotency-Key': key } },
          body: { ...props.proposal, families },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: weekKeys.visits(props.week) }),
  });
  const stats = result.stats;
  const toggle = (code: string) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (next.has(code)) next.delete(code);
      else next.add(code);
      return next;
    });
  const selected = families.filter((f) => chosen.has(f));

  return (
    <section aria-labelledby="plan-heading" className="card">
      <h2 id="plan-heading">Planförslag för vecka {Number(props.week.slice(6))}</h2>
      {props.proposal.plannedFrom && (
        <p className="muted">Planerat från {props.proposal.plannedFrom.replace('T', ' ')} (det som redan passerat planeras inte).</p>
      )}
      {props.proposal.summary.sessionsBooked > 0 && (
        <p className="muted">
          Redan bokat: {props.proposal.summary.sessionsBooked} besök; kvar att placera: {props.proposal.summary.sessionsToPlace}.
        </p>
      )}
      {result.visits.length === 0 ? (
        <p className="warning">
          {props.proposal.summary.alreadyPlanned
            ? 'Veckan är redan planerad: inget kvar att placera.'
            : 'Förslaget innehåller inga nya besök. Se bristerna nedan.'}
        </p>
      ) : (
        <p>
          {stats.sessionsPlaced} av {stats.sessionsRequested} besök placerade, {stats.familiesBelowMinimum} familjer under målet,{' '}
          {stats.travelMinutes} minuters resor.
        </p>
      )}
      <p className="muted">{optimality(stats)}</p>
      {result.shortfalls.length > 0 && (
        <table>
          <caption>Det som inte fick plats</caption>
          <thead>
            <tr>
              <th scope="col">Familj</th>
              <th scope="col">Slag</th>
              <th scope="col" className="num">
                Saknas
              </th>
              <th scope="col">Varför</th>
            </tr>
          </thead>
          <tbody>
            {result.shortfalls.map((s) => (
              <tr key={`${s.family}-${s.kind}`}>
                <th scope="row">{s.family}</th>
                <td>{kindLabel[s.kind] ?? s.kind}</td>
                <td className="num">{s.missing}</td>
                <td>{s.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {families.length > 0 && !commit.isSuccess && (
        <fieldset>
          <legend>Boka för</legend>
          {families.map((code) => (
            <label key={code} className="check">
              <input type="checkbox" checked={chosen.has(code)} onChange={() => toggle(code)} /> {code} (
              {result.visits.filter((v) => v.family === code).length} besök)
            </label>
          ))}
        </fieldset>
      )}
      <ProblemAlert error={commit.error} />
      {commit.isSuccess ? (
        <div role="status">
          <p className="notice">
            Bokat: {commit.data.booked.reduce((n, b) => n + b.visits.length, 0)} besök för {commit.data.booked.length} familjer.
          </p>
          {commit.data.collided.length > 0 && (
            <div className="warning">
              <p>Krockade och bokades inte:</p>
              <ul>
                {commit.data.collided.map((c) => (
                  <li key={c.family}>
                    {c.family}: {c.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <button type="button" className="secondary" onClick={props.onDone}>
            Stäng förslaget
          </button>
        </div>
      ) : (
        <div className="actions">
          <button type="button" disabled={selected.length === 0 || commit.isPending} onClick={() => commit.mutate(selected)}>
            Boka planen
          </button>
          <button type="button" className="secondary" onClick={props.onDone}>
            Släng förslaget
          </button>
          {commit.isPending && <span role="status">Bokar…</span>}
        </div>
      )}
    </section>
  );
}
