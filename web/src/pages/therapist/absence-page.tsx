import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { newIdempotencyKey } from '../../api/client';
import { unwrap } from '../../api/problem';
import { absenceKindLabel, kindLabel } from '../../lib/labels';
import { usePageTitle } from '../../lib/page-title';
import { hhmm, isoDate, local, now } from '../../lib/time';
import { Field, ProblemAlert, fieldError } from '../../ui/form';
import type { operations } from '../../api/schema';
import { scheduleKey } from './schedule';
import { useSession } from './session';

type AbsenceBody = operations['createAbsence']['requestBody']['content']['application/json'];
type Kind = AbsenceBody['kind'];

/** Registrera frånvaro: a day, several days or part of a day; what it touches and who sees it. */
export default function AbsencePage() {
  usePageTitle('Registrera frånvaro');
  const { api, staffId } = useSession();
  const queryClient = useQueryClient();
  const today = isoDate(now());
  const [span, setSpan] = useState<'days' | 'part'>('days');
  const [kind, setKind] = useState<Kind>('sick');
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [date, setDate] = useState(today);
  const [start, setStart] = useState('13:00');
  const [end, setEnd] = useState('16:00');
  const [key, setKey] = useState(newIdempotencyKey);
  const spanName = useId();
  const absences = useQuery({
    queryKey: ['therapist', 'absences', staffId],
    queryFn: async () => unwrap(await (api ? api.GET('/staff/{staffId}/absences', { params: { path: { staffId } } }) : Promise.reject(new Error('Ingen anslutning.')))),
    enabled: api !== undefined,
  });
  const create = useMutation({
    mutationFn: async () => {
      if (!api) throw new Error('Frånvaro kräver att du är inloggad och har nät. Ring samordnaren om det är bråttom.');
      const body: AbsenceBody = span === 'days' ? { kind, from, to } : { kind, start: `${date}T${start}`, end: `${date}T${end}` };
      return unwrap(await api.POST('/staff/{staffId}/absences', { params: { path: { staffId }, header: { 'Idempotency-Key': key } }, body }));
    },
    onSuccess: () => {
      setKey(newIdempotencyKey());
      void queryClient.invalidateQueries({ queryKey: ['therapist', 'absences', staffId] });
      void queryClient.invalidateQueries({ queryKey: scheduleKey(staffId) });
    },
  });
  const remove = useMutation({
    mutationFn: async (id: string) => {
      if (!api) throw new Error('Ingen anslutning.');
      const res = await api.DELETE('/staff/{staffId}/absences/{absenceId}', { params: { path: { staffId, absenceId: id } } });
      if (!res.response.ok) unwrap(res);
    },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['therapist', 'absences', staffId] }),
  });
  const done = create.data;
  const upcoming = (absences.data?.absences ?? []).filter((a) => a.to >= today);
  return (
    <section>
      <h1>Registrera frånvaro</h1>
      {done ? (
        <div className="notice" role="status">
          <p>
            <strong>Frånvaron är registrerad</strong> ({absenceKindLabel[done.kind]}, {done.startLocal ? `${local(done.startLocal).toFormat('d/M HH:mm')}–${hhmm(done.endLocal ?? '')}` : done.from === done.to ? local(done.from).toFormat('cccc d/M') : `${local(done.from).toFormat('d/M')}–${local(done.to).toFormat('d/M')}`}).
          </p>
          {done.affected.length === 0 ? (
            <p>Inga av dina besök eller möten berörs.</p>
          ) : (
            <>
              <p>Det här berörs och behöver flyttas eller avbokas:</p>
              <ul>
                {done.affected.map((e) => (
                  <li key={e.ref}>
                    {local(e.startLocal).toFormat('ccc d/M')} {hhmm(e.startLocal)}–{hhmm(e.endLocal)}: {e.type === 'visit' ? `${e.family ?? ''} (${kindLabel[e.visitKind ?? ''] ?? e.visitKind ?? 'besök'}, ${e.place})` : `${e.title ?? 'möte'} (${e.place})`}
                  </li>
                ))}
              </ul>
            </>
          )}
          <p>
            Samordnaren ser frånvaron direkt på veckotavlan: de berörda besöken står under Behöver uppmärksamhet på översikten tills hon har planerat om
            dem, och du får inga påminnelser om dem under tiden. Gäller det idag eller i morgon, ring också samordnaren.
          </p>
          <button type="button" className="secondary" onClick={() => create.reset()}>
            Registrera mer frånvaro
          </button>
        </div>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <Field label="Orsak" error={fieldError(create.error, 'kind')}>
            <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              {(['sick', 'vacation', 'parental', 'training', 'other'] as const).map((k) => (
                <option key={k} value={k}>
                  {absenceKindLabel[k]}
                </option>
              ))}
            </select>
          </Field>
          <fieldset>
            <legend>Hur länge?</legend>
            <label className="choice">
              <input type="radio" name={spanName} checked={span === 'days'} onChange={() => setSpan('days')} /> En eller flera hela dagar
            </label>
            <label className="choice">
              <input type="radio" name={spanName} checked={span === 'part'} onChange={() => setSpan('part')} /> Del av en dag
            </label>
          </fieldset>
          {span === 'days' ? (
            <div className="row">
              <Field label="Från och med" error={fieldError(create.error, 'from')}>
                <input type="date" value={from} required onChange={(e) => {
                  setFrom(e.target.value);
                  if (to < e.target.value) setTo(e.target.value);
                }} />
              </Field>
              <Field label="Till och med" error={fieldError(create.error, 'to')}>
                <input type="date" value={to} min={from} required onChange={(e) => setTo(e.target.value)} />
              </Field>
            </div>
          ) : (
            <div className="row">
              <Field label="Dag" error={fieldError(create.error, 'start')}>
                <input type="date" value={date} required onChange={(e) => setDate(e.target.value)} />
              </Field>
              <Field label="Från klockan">
                <input type="time" value={start} required onChange={(e) => setStart(e.target.value)} />
              </Field>
              <Field label="Till klockan" error={fieldError(create.error, 'end')}>
                <input type="time" value={end} required onChange={(e) => setEnd(e.target.value)} />
              </Field>
            </div>
          )}
          <ProblemAlert error={create.error} shownFields={['kind', 'from', 'to', 'start', 'end']} />
          <div className="actions">
            <button type="submit" disabled={create.isPending || !api}>
              Registrera frånvaro
            </button>
          </div>
          {!api && <p className="hint">Frånvaro kräver nät och inloggning. Ring samordnaren om det är bråttom.</p>}
        </form>
      )}
      <h2>Min kommande frånvaro</h2>
      {absences.isPending && api ? (
        <p className="loading">Laddar…</p>
      ) : upcoming.length === 0 ? (
        <p className="muted">Ingen registrerad.</p>
      ) : (
        <ul className="list">
          {upcoming.map((a) => (
            <li key={a.id} className="absence">
              <span>
                {absenceKindLabel[a.kind]}: {a.startLocal ? `${local(a.startLocal).toFormat('ccc d/M HH:mm')}–${hhmm(a.endLocal ?? '')}` : a.from === a.to ? local(a.from).toFormat('ccc d/M') : `${local(a.from).toFormat('d/M')}–${local(a.to).toFormat('d/M')}`}
              </span>
              <button type="button" className="ghost" disabled={remove.isPending} onClick={() => remove.mutate(a.id)}>
                Ta bort
              </button>
            </li>
          ))}
        </ul>
      )}
      <ProblemAlert error={remove.error ?? absences.error} />
    </section>
  );
}
