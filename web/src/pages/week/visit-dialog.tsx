import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { cancelReasonLabel, cancelledByLabel, kindLabel, statusLabel } from '../../lib/labels';
import { DateTime } from 'luxon';
import { hhmm, local, longDay, minutesBetween, zone } from '../../lib/time';
import { Dialog } from '../../ui/dialog';
import { Field, ProblemAlert, fieldError } from '../../ui/form';
import type { Visit } from './week-data';

type CancelReason =
  'illness' | 'family_unavailable' | 'staff_unavailable' | 'crisis' | 'weather_travel' | 'rescheduled' | 'treatment_ended' | 'other';
const actionLabel: Record<string, string> = {
  create: 'bokat',
  move: 'flyttat',
  cancel: 'avbokat',
  outcome: 'utfall registrerat',
  commit: 'bokat från planen',
  replan: 'flyttat vid omplanering',
};

/**
 * One visit: its time, family code, kind, place and staff; *Flytta besök* to one of the ranked alternatives or a time
 * by hand (with the warnings the API gives), *Avboka* with who and why, and its history.
 */
export function VisitDialog(props: { visit: Visit; onClose: () => void }) {
  const { api } = useApp();
  const queryClient = useQueryClient();
  const fresh = useQuery({
    queryKey: ['visit', props.visit.id],
    queryFn: async () => unwrap(await api.GET('/visits/{id}', { params: { path: { id: props.visit.id } } })),
    initialData: props.visit,
  });
  const visit = fresh.data;
  const [mode, setMode] = useState<'view' | 'move' | 'cancel'>('view');
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['visits'] });
    await queryClient.invalidateQueries({ queryKey: ['visit', visit.id] });
    await queryClient.invalidateQueries({ queryKey: ['visit-audit', visit.id] });
  };
  const duration = minutesBetween(visit.startLocal, visit.endLocal);

  return (
    <Dialog title={`Besök ${visit.family}`} onClose={props.onClose} wide>
      <dl className="facts">
        <dt>När</dt>
        <dd>
          {longDay(local(visit.startLocal))} {hhmm(visit.startLocal)}–{hhmm(visit.endLocal)} (vecka {Number(visit.week.slice(6))})
        </dd>
        <dt>Slag</dt>
        <dd>{kindLabel[visit.kind]}</dd>
        <dt>Var</dt>
        <dd>{visit.place}</dd>
        <dt>Terapeuter</dt>
        <dd>{visit.staff.join(' och ')}</dd>
        <dt>Status</dt>
        <dd>
          {statusLabel[visit.status]}
          {visit.cancelledBy && ` av ${cancelledByLabel[visit.cancelledBy]}`}
          {visit.cancelReason && ` (${cancelReasonLabel[visit.cancelReason]})`}
        </dd>
      </dl>
      {visit.status === 'planned' && mode === 'view' && (
        <div className="actions">
          <button type="button" onClick={() => setMode('move')}>
            Flytta besök
          </button>
          <button type="button" className="secondary" onClick={() => setMode('cancel')}>
            Avboka
          </button>
        </div>
      )}
      {mode === 'move' && (
        <MoveVisit
          visit={visit}
          duration={duration}
          onDone={async () => {
            await refresh();
            setMode('view');
          }}
          onReload={() => void fresh.refetch()}
        />
      )}
      {mode === 'cancel' && (
        <CancelVisit
          visit={visit}
          onDone={async () => {
            await refresh();
            setMode('view');
          }}
          onReload={() => void fresh.refetch()}
        />
      )}
      <History id={visit.id} />
    </Dialog>
  );
}

function MoveVisit(props: { visit: Visit; duration: number; onDone: () => Promise<void>; onReload: () => void }) {
  const { api } = useApp();
  const { visit } = props;
  const alternatives = useQuery({
    queryKey: ['alternatives', visit.id, visit.version],
    queryFn: async () => unwrap(await api.GET('/visits/{id}/alternatives', { params: { path: { id: visit.id } } })),
  });
  const [start, setStart] = useState(visit.startLocal);
  const move = useMutation({
    mutationFn: async (to: { start: string; end: string }) =>
      unwrap(await api.PATCH('/visits/{id}', { params: { path: { id: visit.id } }, body: { version: visit.version, ...to } })),
  });
  const endOf = (s: string) => local(s).plus({ minutes: props.duration }).toFormat("yyyy-MM-dd'T'HH:mm");
  const byHand = (e: FormEvent) => {
    e.preventDefault();
    move.mutate({ start, end: endOf(start) });
  };
  if (move.isSuccess) {
    return (
      <div role="status">
        <p className="notice">
          Flyttat till {longDay(local(move.data.startLocal))} {hhmm(move.data.startLocal)}–{hhmm(move.data.endLocal)}.
        </p>
        {move.data.warnings && move.data.warnings.length > 0 && (
          <div className="warning">
            <p>Varningar:</p>
            <ul>
              {move.data.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </div>
        )}
        <button type="button" className="secondary" onClick={() => void props.onDone()}>
          Klar
        </button>
      </div>
    );
  }
  const list = alternatives.data?.alternatives ?? [];
  return (
    <section aria-labelledby="move-heading">
      <h3 id="move-heading">Flytta till</h3>
      {alternatives.isPending && <p role="status">Söker lediga tider…</p>}
      <ProblemAlert error={alternatives.error} />
      {alternatives.data && list.length === 0 && (
        <p className="warning">{alternatives.data.reason ?? 'Ingen ledig tid för paret de närmaste två veckorna.'}</p>
      )}
      {list.length > 0 && (
        <table>
          <caption>Lediga tider för samma par, bäst först</caption>
          <thead>
            <tr>
              <th scope="col">Tid</th>
              <th scope="col" className="num">
                Extra resa
              </th>
              <th scope="col">
                <span className="visually-hidden">Välj</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.slice(0, 8).map((a) => (
              <tr key={a.start}>
                <td>
                  {longDay(local(a.start))} {hhmm(a.start)}–{hhmm(a.end)}
                </td>
                <td className="num">{a.extraTravelMinutes} min</td>
                <td>
                  <button
                    type="button"
                    disabled={move.isPending}
                    onClick={() => move.mutate({ start: a.start, end: a.end })}
                    aria-label={`Flytta till ${longDay(local(a.start))} ${hhmm(a.start)}`}
                  >
                    Välj
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={byHand} noValidate>
        <Field
          label="Eller en tid för hand"
          hint={`Samma längd (${props.duration} min). Utanför arbetstid eller familjens tider ger en varning.`}
          error={fieldError(move.error, 'start', 'end')}
        >
          <input type="datetime-local" value={start} step={900} onChange={(e) => setStart(e.target.value)} />
        </Field>
        <ProblemAlert error={move.error} shownFields={['start', 'end']} onReload={props.onReload} />
        <div className="actions">
          <button type="submit" className="secondary" disabled={move.isPending}>
            Flytta hit
          </button>
        </div>
      </form>
    </section>
  );
}

function CancelVisit(props: { visit: Visit; onDone: () => Promise<void>; onReload: () => void }) {
  const { api } = useApp();
  const [by, setBy] = useState<'family' | 'team'>('family');
  const [reason, setReason] = useState<CancelReason>('illness');
  const cancel = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/visits/{id}/cancel', { params: { path: { id: props.visit.id } }, body: { version: props.visit.version, by, reason } })),
    onSuccess: () => props.onDone(),
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        cancel.mutate();
      }}
      noValidate
    >
      <h3>Avboka besöket</h3>
      <div className="row">
        <Field label="Vem avbokar" error={fieldError(cancel.error, 'by')}>
          <select value={by} onChange={(e) => setBy(e.target.value as 'family' | 'team')}>
            <option value="family">Familjen</option>
            <option value="team">Teamet</option>
          </select>
        </Field>
        <Field label="Orsak" error={fieldError(cancel.error, 'reason')}>
          <select value={reason} onChange={(e) => setReason(e.target.value as CancelReason)}>
            {Object.entries(cancelReasonLabel).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <ProblemAlert error={cancel.error} shownFields={['by', 'reason']} onReload={props.onReload} />
      <div className="actions">
        <button type="submit" className="danger" disabled={cancel.isPending}>
          Avboka
        </button>
      </div>
    </form>
  );
}

function History(props: { id: string }) {
  const { api } = useApp();
  const audit = useQuery({
    queryKey: ['visit-audit', props.id],
    queryFn: async () => unwrap(await api.GET('/visits/{id}/audit', { params: { path: { id: props.id } } })).entries,
  });
  return (
    <section aria-labelledby="history-heading">
      <h3 id="history-heading">Historik</h3>
      <ProblemAlert error={audit.error} />
      <ol className="history">
        {(audit.data ?? []).map((e, i) => (
          <li key={`${e.at}-${i}`}>
            {DateTime.fromISO(e.at).setZone(zone).toFormat('yyyy-MM-dd HH:mm')} – {actionLabel[e.action] ?? e.action} av {e.actor}
            {e.warnings && e.warnings.length > 0 && <span className="muted"> (varningar: {e.warnings.join('; ')})</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
