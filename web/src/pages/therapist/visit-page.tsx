import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'wouter';
import { unwrap } from '../../api/problem';
import { cancelReasonLabel, cancelledByLabel, kindLabel, statusLabel } from '../../lib/labels';
import { usePageTitle } from '../../lib/page-title';
import { hhmm, local } from '../../lib/time';
import { Dialog } from '../../ui/dialog';
import { Field, ProblemAlert } from '../../ui/form';
import type { CancelBody, QueuedAction, ScheduleSnapshot, ScheduleVisit } from './device-store';
import { record, useOutbox } from './outbox';
import { hasStarted, scheduleKey } from './schedule';
import { StateBadge, travelById, travelText } from './schedule-list';
import { useSession } from './session';

type Confirm = { type: 'outcome'; status: 'done' | 'no_show' } | { type: 'cancel' } | { type: 'move' };

/** One visit or meeting: what the schedule shows, and (for a visit) recording it, cancelling it, moving it. */
export default function VisitPage(props: { id: string; snapshot: ScheduleSnapshot | undefined }) {
  usePageTitle('Besök');
  const { staffId } = useSession();
  const { queue } = useOutbox();
  const [confirm, setConfirm] = useState<Confirm>();
  const item = props.snapshot?.items.find((i) => i.id === props.id);
  if (!props.snapshot) return <p className="loading">Laddar…</p>;
  if (!item)
    return (
      <section>
        <h1>Finns inte i ditt schema</h1>
        <p>Besöket finns inte i ditt schema för förra, denna och nästa vecka (det kan ha flyttats eller avbokats).</p>
        <p>
          <Link href="/">Till idag</Link>
        </p>
      </section>
    );
  const travel = travelById(props.snapshot).get(item.id);
  const partners = item.staff.filter((s) => s !== staffId);
  const pending = queue.find((q) => q.visitId === item.id);
  const day = local(item.startLocal);
  return (
    <section>
      <p>
        <Link href="/">‹ Till idag</Link>
      </p>
      <h1>
        {item.type === 'visit' ? item.family : item.title} <StateBadge item={item} pending={pending} />
      </h1>
      <dl className="facts">
        <dt>När</dt>
        <dd>
          {day.toFormat('cccc d MMMM')}, {hhmm(item.startLocal)}–{hhmm(item.endLocal)}
        </dd>
        <dt>Vad</dt>
        <dd>{item.type === 'visit' ? `${kindLabel[item.kind] ?? item.kind}besök` : item.mode === 'online' ? 'möte, online' : 'möte'}</dd>
        <dt>Var</dt>
        <dd>{item.place ?? 'online'}</dd>
        <dt>Med</dt>
        <dd>{partners.length > 0 ? partners.join(', ') : 'ingen annan'}</dd>
        {travel && (
          <>
            <dt>Resa</dt>
            <dd>{travelText(travel)}</dd>
          </>
        )}
        {item.type === 'visit' && (
          <>
            <dt>Status</dt>
            <dd>{statusLabel[item.status] ?? item.status}</dd>
          </>
        )}
      </dl>
      {item.type === 'visit' && <VisitActions visit={item} pending={pending} confirm={confirm} setConfirm={setConfirm} />}
    </section>
  );
}

function VisitActions(props: {
  visit: ScheduleVisit;
  pending: QueuedAction | undefined;
  confirm: Confirm | undefined;
  setConfirm: (c: Confirm | undefined) => void;
}) {
  const { visit, pending, confirm, setConfirm } = props;
  const { api } = useSession();
  if (visit.status !== 'planned')
    return <p className="muted">Besöket är {statusLabel[visit.status]}; det finns inget mer att registrera här. Är det fel, säg till samordnaren.</p>;
  if (pending)
    return <p className="muted">Det du registrerade visas ovan. Ändra det genom att ångra (inom några sekunder) eller slänga registreringen.</p>;
  const started = hasStarted(visit);
  const close = () => setConfirm(undefined);
  return (
    <>
      <div className="bigactions">
        {started ? (
          <>
            <button type="button" onClick={() => setConfirm({ type: 'outcome', status: 'done' })}>
              Genomfört
            </button>
            <button type="button" className="secondary" onClick={() => setConfirm({ type: 'outcome', status: 'no_show' })}>
              Uteblev
            </button>
          </>
        ) : (
          <p className="hint">Genomfört och Uteblev går att registrera när besöket har börjat ({hhmm(visit.startLocal)}).</p>
        )}
        <button type="button" className="secondary" onClick={() => setConfirm({ type: 'cancel' })}>
          Avboka
        </button>
        {!started && (
          <button type="button" className="secondary" disabled={!api} onClick={() => setConfirm({ type: 'move' })}>
            Flytta besök
          </button>
        )}
      </div>
      {!api && !started && <p className="hint">Flytta besök kräver att du är inloggad och har nät.</p>}
      {confirm?.type === 'outcome' && <OutcomeDialog visit={visit} status={confirm.status} onClose={close} />}
      {confirm?.type === 'cancel' && <CancelDialog visit={visit} onClose={close} />}
      {confirm?.type === 'move' && <MoveDialog visit={visit} onClose={close} />}
    </>
  );
}

const when = (v: ScheduleVisit) => `${local(v.startLocal).toFormat('ccc d/M')} ${hhmm(v.startLocal)}`;

function OutcomeDialog(props: { visit: ScheduleVisit; status: 'done' | 'no_show'; onClose: () => void }) {
  const { staffId } = useSession();
  const word = props.status === 'done' ? 'genomfört' : 'uteblivet';
  return (
    <Dialog title={props.status === 'done' ? 'Genomfört?' : 'Uteblev?'} onClose={props.onClose}>
      <p>
        Registrera besöket hos {props.visit.family} {when(props.visit)} som <strong>{word}</strong>.
      </p>
      <p className="hint">Du kan ångra i några sekunder; sedan skickas det (utan nät: när nätet är tillbaka).</p>
      <div className="actions">
        <button type="button" onClick={() => void record(props.visit, staffId, { type: 'outcome', status: props.status }).then(props.onClose)}>
          Ja, {word}
        </button>
        <button type="button" className="secondary" onClick={props.onClose}>
          Avbryt
        </button>
      </div>
    </Dialog>
  );
}

const reasons: CancelBody['reason'][] = ['illness', 'family_unavailable', 'staff_unavailable', 'crisis', 'weather_travel', 'other'];

function CancelDialog(props: { visit: ScheduleVisit; onClose: () => void }) {
  const { staffId } = useSession();
  const [by, setBy] = useState<CancelBody['by']>('family');
  const [reason, setReason] = useState<CancelBody['reason']>('illness');
  const byName = useId();
  return (
    <Dialog title="Avboka besöket" onClose={props.onClose}>
      <p>
        {props.visit.family} {when(props.visit)}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void record(props.visit, staffId, { type: 'cancel', by, reason }).then(props.onClose);
        }}
      >
        <fieldset>
          <legend>Vem avbokade?</legend>
          {(['family', 'team'] as const).map((b) => (
            <label key={b} className="choice">
              <input type="radio" name={byName} value={b} checked={by === b} onChange={() => setBy(b)} /> {cancelledByLabel[b]}
            </label>
          ))}
        </fieldset>
        <Field label="Varför?">
          <select value={reason} onChange={(e) => setReason(e.target.value as CancelBody['reason'])}>
            {reasons.map((r) => (
              <option key={r} value={r}>
                {cancelReasonLabel[r]}
              </option>
            ))}
          </select>
        </Field>
        <p className="hint">Du kan ångra i några sekunder; sedan skickas avbokningen.</p>
        <div className="actions">
          <button type="submit" className="danger">
            Avboka besöket
          </button>
          <button type="button" className="secondary" onClick={props.onClose}>
            Behåll besöket
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function MoveDialog(props: { visit: ScheduleVisit; onClose: () => void }) {
  const { api, staffId } = useSession();
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<number>();
  const name = useId();
  const alternatives = useQuery({
    queryKey: ['therapist', 'alternatives', props.visit.id, props.visit.version],
    queryFn: async () =>
      api ? unwrap(await api.GET('/visits/{id}/alternatives', { params: { path: { id: props.visit.id } } })) : { alternatives: [] },
    staleTime: 0,
  });
  const move = useMutation({
    mutationFn: async (slot: { start: string; end: string }) => {
      if (!api) throw new Error('Ingen anslutning.');
      return unwrap(
        await api.PATCH('/visits/{id}', {
          params: { path: { id: props.visit.id } },
          body: { version: props.visit.version, start: slot.start, end: slot.end },
        }),
      );
    },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: scheduleKey(staffId) }),
  });
  const list = alternatives.data?.alternatives ?? [];
  const slot = chosen !== undefined ? list[chosen] : undefined;
  return (
    <Dialog title="Flytta besök" onClose={props.onClose}>
      <p>
        {props.visit.family}, nu {when(props.visit)}. Lediga tider för samma par, bäst först:
      </p>
      {alternatives.isPending && <p className="loading">Hämtar lediga tider…</p>}
      <ProblemAlert error={alternatives.error} />
      {alternatives.data && list.length === 0 && (
        <p className="warning">Inga lediga tider: {alternatives.data.reason ?? 'ingen gemensam ledig tid denna eller nästa vecka.'}</p>
      )}
      {move.data ? (
        <div className="notice" role="status">
          <p>
            Flyttat till {local(move.data.startLocal).toFormat('cccc d/M')} {hhmm(move.data.startLocal)}–{hhmm(move.data.endLocal)}.
          </p>
          {(move.data.warnings ?? []).length > 0 && (
            <ul className="warning">
              {(move.data.warnings ?? []).map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
          <button type="button" onClick={props.onClose}>
            Klar
          </button>
        </div>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (slot) move.mutate(slot);
          }}
        >
          {list.length > 0 && (
            <fieldset>
              <legend>Välj en tid</legend>
              {list.map((a, i) => (
                <label key={a.start} className="choice slot">
                  <input type="radio" name={name} checked={chosen === i} onChange={() => setChosen(i)} />{' '}
                  <span>
                    <strong>
                      {local(a.start).toFormat('ccc d/M')} {hhmm(a.start)}–{hhmm(a.end)}
                    </strong>
                    <span className="hint"> · {a.extraTravelMinutes > 0 ? `${a.extraTravelMinutes} min extra resa` : 'ingen extra resa'}</span>
                  </span>
                </label>
              ))}
            </fieldset>
          )}
          <ProblemAlert
            error={move.error}
            onReload={() => void queryClient.invalidateQueries({ queryKey: scheduleKey(staffId) }).then(props.onClose)}
          />
          <div className="actions">
            {list.length > 0 && (
              <button type="submit" disabled={!slot || move.isPending}>
                Flytta hit
              </button>
            )}
            <button type="button" className="secondary" onClick={props.onClose}>
              Avbryt
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
