import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { newIdempotencyKey } from '../../api/client';
import { unwrap } from '../../api/problem';
import { absenceKindLabel } from '../../lib/labels';
import { usePageTitle } from '../../lib/page-title';
import { isoDate, now } from '../../lib/time';
import { AbsenceFields, AffectedList, absenceBody, absenceSpan, absenceDraft, absenceFieldNames } from '../../ui/absence-fields';
import { ProblemAlert } from '../../ui/form';
import { scheduleKey } from './schedule';
import { useSession } from './session';

/** Registrera frånvaro: a day, several days or part of a day; what it touches and who sees it. */
export default function AbsencePage() {
  usePageTitle('Registrera frånvaro');
  const { api, staffId } = useSession();
  const queryClient = useQueryClient();
  const today = isoDate(now());
  const [draft, setDraft] = useState(() => absenceDraft(today));
  const [key, setKey] = useState(newIdempotencyKey);
  const absences = useQuery({
    queryKey: ['therapist', 'absences', staffId],
    queryFn: async () =>
      unwrap(await (api ? api.GET('/staff/{staffId}/absences', { params: { path: { staffId } } }) : Promise.reject(new Error('Ingen anslutning.')))),
    enabled: api !== undefined,
  });
  const create = useMutation({
    mutationFn: async () => {
      if (!api) throw new Error('Frånvaro kräver att du är inloggad och har nät. Ring samordnaren om det är bråttom.');
      return unwrap(
        await api.POST('/staff/{staffId}/absences', { params: { path: { staffId }, header: { 'Idempotency-Key': key } }, body: absenceBody(draft) }),
      );
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
            <strong>Frånvaron är registrerad</strong> ({absenceKindLabel[done.kind]}, {absenceSpan(done)}).
          </p>
          {done.affected.length === 0 ? (
            <p>Inga av dina besök eller möten berörs.</p>
          ) : (
            <>
              <p>Det här berörs och behöver flyttas eller avbokas:</p>
              <AffectedList affected={done.affected} />
            </>
          )}
          <p>
            Samordnaren ser frånvaron direkt på veckotavlan: de berörda besöken står under Behöver uppmärksamhet på översikten tills hon har planerat
            om dem, och du får inga påminnelser om dem under tiden. Gäller det idag eller i morgon, ring också samordnaren.
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
          <AbsenceFields draft={draft} onChange={setDraft} error={create.error} />
          <ProblemAlert error={create.error} shownFields={absenceFieldNames} />
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
                {absenceKindLabel[a.kind]}: {absenceSpan(a)}
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
