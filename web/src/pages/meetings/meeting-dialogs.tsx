import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiProblem, unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { useIdempotencyKey } from '../../lib/idempotency';
import { local } from '../../lib/time';
import { Dialog } from '../../ui/dialog';
import { FormActions, ProblemAlert } from '../../ui/form';
import {
  MeetingFields,
  checkDraft,
  draftOf,
  errorsFrom,
  meetingBody,
  meetingKindLabel,
  recurrenceOf,
  ruleLabel,
  seriesBody,
  seriesPresets,
  shownMeetingFields,
} from './meeting-form';
import type { MeetingDraft } from './meeting-form';
import { staffName, useStaff, useTeam } from './team-data';
import type { Meeting, MeetingSeries, Reminder } from './team-data';

/** After a failed submit, focus moves to the first field that says what is wrong. */
function focusFirstInvalid(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

export const meetingWhen = (m: Pick<Meeting, 'startLocal' | 'endLocal'>): string =>
  `${local(m.startLocal).toFormat('ccc d MMM yyyy HH:mm')}–${m.endLocal.slice(11, 16)}`;

/** Nytt möte (also a handover meeting from a proposal): one meeting, with its place, staff and partners. */
export function NewMeetingDialog(props: { title?: string; initial: MeetingDraft; onClose: () => void; onBooked: (m: Meeting) => void }) {
  const { api } = useApp();
  const qc = useQueryClient();
  const team = useTeam();
  const staff = useStaff();
  const keyFor = useIdempotencyKey();
  const form = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState(props.initial);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const book = useMutation({
    mutationFn: async (body: ReturnType<typeof meetingBody>) =>
      unwrap(await api.POST('/meetings', { body, params: { header: { 'Idempotency-Key': keyFor(body) } } })),
    onSuccess: async (m) => {
      await qc.invalidateQueries({ queryKey: ['meetings'] });
      props.onBooked(m);
    },
    onError: () => focusFirstInvalid(form.current),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errors = checkDraft(draft, 'single');
    setClientErrors(errors);
    if (Object.keys(errors).length) return focusFirstInvalid(form.current);
    book.mutate(meetingBody(draft));
  };
  const error = errorsFrom(clientErrors, book.error);
  return (
    <Dialog title={props.title ?? 'Nytt möte'} onClose={props.onClose} wide>
      <form ref={form} onSubmit={submit} noValidate>
        {draft.family && (
          <p>
            Gäller ärende <strong>{draft.family}</strong>.
          </p>
        )}
        <MeetingFields
          draft={draft}
          setDraft={setDraft}
          error={error}
          places={team.data?.places ?? []}
          staff={staff.data ?? []}
          when="single"
          kindEditable={!draft.family}
        />
        <ProblemAlert error={book.error} shownFields={shownMeetingFields} />
        <FormActions pending={book.isPending} pendingLabel="Bokar…" label="Boka mötet" onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}

type SeriesOutcome = { series: MeetingSeries; booked: Meeting[]; conflicts: { date: string; reason: string }[]; cancelled?: number };

function OutcomeNotice(props: { outcome: SeriesOutcome; what: string }) {
  const { outcome } = props;
  return (
    <div role="status">
      <p className="notice">
        {props.what}: {outcome.series.title}, {ruleLabel(outcome.series.spec)}. {outcome.booked.length} tillfällen bokade
        {outcome.cancelled ? `, ${outcome.cancelled} gamla tillfällen avbokade` : ''}.
      </p>
      {outcome.conflicts.length > 0 && (
        <div className="warning">
          <p>Dessa tillfällen kunde inte bokas:</p>
          <ul>
            {outcome.conflicts.map((c) => (
              <li key={c.date}>
                {local(c.date).toFormat('ccc d MMM yyyy')}: {c.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** Ny mötesserie: presets for the three standing series fill the form. */
export function NewSeriesDialog(props: { initial: MeetingDraft; onClose: () => void }) {
  const { api } = useApp();
  const qc = useQueryClient();
  const team = useTeam();
  const staff = useStaff();
  const keyFor = useIdempotencyKey();
  const form = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState(props.initial);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: async (body: ReturnType<typeof seriesBody>) =>
      unwrap(await api.POST('/meeting-series', { body, params: { header: { 'Idempotency-Key': keyFor(body) } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['meetings'] }),
    onError: () => focusFirstInvalid(form.current),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errors = checkDraft(draft, 'series');
    setClientErrors(errors);
    if (Object.keys(errors).length) return focusFirstInvalid(form.current);
    create.mutate(seriesBody(draft));
  };
  const error = errorsFrom(clientErrors, create.error);
  return (
    <Dialog title="Ny mötesserie" onClose={props.onClose} wide>
      {create.data ? (
        <>
          <OutcomeNotice outcome={create.data} what="Serien är bokad" />
          <div className="actions">
            <button type="button" onClick={props.onClose}>
              Klar
            </button>
          </div>
        </>
      ) : (
        <form ref={form} onSubmit={submit} noValidate>
          <fieldset>
            <legend>Mall</legend>
            <div className="actions tight">
              {seriesPresets.map((p) => (
                <button key={p.label} type="button" className="secondary" onClick={() => setDraft((d) => p.apply(d))}>
                  {p.label}
                </button>
              ))}
            </div>
          </fieldset>
          <MeetingFields draft={draft} setDraft={setDraft} error={error} places={team.data?.places ?? []} staff={staff.data ?? []} when="series" />
          <ProblemAlert error={create.error} shownFields={shownMeetingFields} />
          <FormActions pending={create.isPending} pendingLabel="Bokar…" label="Boka serien" onCancel={props.onClose} />
        </form>
      )}
    </Dialog>
  );
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Each field: the person's value where they changed it from what they read, else the latest. */
function mergeDraft(mine: MeetingDraft, read: MeetingDraft, latest: MeetingDraft): MeetingDraft {
  const merged = { ...latest };
  for (const key of Object.keys(mine) as (keyof MeetingDraft)[]) if (!same(mine[key], read[key])) Object.assign(merged, { [key]: mine[key] });
  return merged;
}

/** What a person changed, as the PATCH body wants it: only the fields that differ from what was read. */
function changedFields(draft: MeetingDraft, read: MeetingDraft) {
  const where =
    draft.mode === 'onsite'
      ? { mode: draft.mode, place: draft.place, address: draft.address.trim() }
      : { mode: draft.mode, videoLink: draft.videoLink.trim() };
  const readWhere =
    read.mode === 'onsite'
      ? { mode: read.mode, place: read.place, address: read.address.trim() }
      : { mode: read.mode, videoLink: read.videoLink.trim() };
  return {
    ...(draft.title.trim() !== read.title ? { title: draft.title.trim() } : {}),
    ...(!same(where, readWhere) ? where : {}),
    ...(!same(draft.staff, read.staff) ? { staff: draft.staff } : {}),
    ...(!same(draft.external, read.external)
      ? { external: draft.external.map((a) => ({ name: a.name.trim(), email: a.email.trim(), organisation: a.organisation.trim() })) }
      : {}),
  };
}

/** Ändra: move or change one occurrence, or change the series from this occurrence on. */
export function ChangeMeetingDialog(props: { meeting: Meeting; onClose: () => void; onDone: (message: string) => void }) {
  const { api } = useApp();
  const series = useQuery({
    queryKey: ['series', props.meeting.seriesId],
    enabled: props.meeting.seriesId !== undefined,
    queryFn: async () => unwrap(await api.GET('/meeting-series/{id}', { params: { path: { id: props.meeting.seriesId ?? '' } } })),
  });
  if (props.meeting.seriesId && !series.data)
    return (
      <Dialog title="Ändra möte" onClose={props.onClose} wide>
        {series.error ? <ProblemAlert error={series.error} /> : <p role="status">Laddar serien…</p>}
      </Dialog>
    );
  return <ChangeMeetingForm {...props} series={series.data} />;
}

function ChangeMeetingForm(props: { meeting: Meeting; series: MeetingSeries | undefined; onClose: () => void; onDone: (message: string) => void }) {
  const { api } = useApp();
  const qc = useQueryClient();
  const team = useTeam();
  const staff = useStaff();
  const keyFor = useIdempotencyKey();
  const form = useRef<HTMLFormElement>(null);
  // What this form was read from: every write sends its version; after a 409 the person chooses to take the fresh one.
  const [base, setBase] = useState({ meeting: props.meeting, series: props.series });
  const [draft, setDraft] = useState(() => draftOf(props.meeting, props.series));
  const [scope, setScope] = useState<'one' | 'following'>('one');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fresh = useQuery({
    queryKey: ['meeting', props.meeting.id],
    queryFn: async () => unwrap(await api.GET('/meetings/{id}', { params: { path: { id: props.meeting.id } } })),
    initialData: props.meeting,
    staleTime: Infinity,
  });
  const freshSeries = useQuery({
    queryKey: ['series', props.meeting.seriesId],
    enabled: props.meeting.seriesId !== undefined,
    queryFn: async () => unwrap(await api.GET('/meeting-series/{id}', { params: { path: { id: props.meeting.seriesId ?? '' } } })),
  });
  const read = draftOf(base.meeting, base.series);
  const refresh = () =>
    Promise.all([qc.invalidateQueries({ queryKey: ['meetings'] }), fresh.refetch(), ...(props.meeting.seriesId ? [freshSeries.refetch()] : [])]);
  const save = useMutation({
    mutationFn: async (): Promise<string> => {
      if (scope === 'one') {
        const moved = draft.date !== read.date || draft.start !== read.start || draft.end !== read.end;
        const body = {
          version: base.meeting.version,
          ...changedFields(draft, read),
          ...(moved ? { start: `${draft.date}T${draft.start}`, end: `${draft.date}T${draft.end}` } : {}),
        };
        const m = unwrap(await api.PATCH('/meetings/{id}', { params: { path: { id: base.meeting.id } }, body }));
        return `Mötet är ändrat: ${m.title}, ${meetingWhen(m)}.`;
      }
      const s = base.series;
      if (!s) throw new Error('Serien saknas.');
      const rule = recurrenceOf(draft);
      const body = {
        version: s.version,
        fromDate: base.meeting.occurrenceKey ?? draft.date,
        ...changedFields(draft, read),
        ...(!same(rule, s.spec.recurrence) ? { recurrence: rule } : {}),
        ...(draft.durationMinutes !== s.spec.durationMinutes ? { durationMinutes: draft.durationMinutes } : {}),
        ...(draft.untilDate && draft.untilDate !== s.spec.untilDate ? { untilDate: draft.untilDate } : {}),
        ...(draft.holidayPolicy !== s.spec.holidayPolicy ? { holidayPolicy: draft.holidayPolicy } : {}),
      };
      const outcome = unwrap(
        await api.POST('/meeting-series/{id}/change', { params: { path: { id: s.id }, header: { 'Idempotency-Key': keyFor(body) } }, body }),
      );
      const conflicts = outcome.conflicts.length
        ? ` ${outcome.conflicts.length} tillfällen kunde inte bokas: ${outcome.conflicts.map((c) => `${c.date} (${c.reason})`).join(', ')}.`
        : '';
      return `Serien är ändrad från ${local(body.fromDate).toFormat('d MMM yyyy')}: ${ruleLabel(outcome.series.spec)}, ${outcome.booked.length} tillfällen bokade.${conflicts}`;
    },
    onSuccess: async (message) => {
      await qc.invalidateQueries({ queryKey: ['meetings'] });
      await qc.invalidateQueries({ queryKey: ['series'] });
      props.onDone(message);
    },
    onError: async (e) => {
      if (e instanceof ApiProblem && e.isConflict) await refresh();
      focusFirstInvalid(form.current);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errors = checkDraft(draft, scope === 'one' ? 'single' : 'series');
    setClientErrors(errors);
    if (Object.keys(errors).length) return focusFirstInvalid(form.current);
    save.mutate();
  };
  const error = errorsFrom(clientErrors, save.error);
  const conflict = save.error instanceof ApiProblem && save.error.isConflict;
  const latest = fresh.data;
  return (
    <Dialog title="Ändra möte" onClose={props.onClose} wide>
      <form ref={form} onSubmit={submit} noValidate>
        <p>
          {meetingKindLabel[base.meeting.kind]}, {meetingWhen(base.meeting)}
          {base.meeting.family ? `, ärende ${base.meeting.family}` : ''}
          {base.series ? ` · serie: ${ruleLabel(base.series.spec)}` : ''}
        </p>
        {base.series && (
          <fieldset>
            <legend>Vad ändras</legend>
            <div className="row radios">
              <label>
                <input type="radio" name="scope" checked={scope === 'one'} onChange={() => setScope('one')} /> Bara detta tillfälle
              </label>
              <label>
                <input type="radio" name="scope" checked={scope === 'following'} onChange={() => setScope('following')} /> Detta och alla följande
                tillfällen
              </label>
            </div>
          </fieldset>
        )}
        <MeetingFields
          draft={draft}
          setDraft={setDraft}
          error={error}
          places={team.data?.places ?? []}
          staff={staff.data ?? []}
          when={scope === 'one' ? 'single' : 'series'}
          seriesPath={(f) => f}
          kindEditable={false}
        />
        <ProblemAlert
          error={save.error}
          shownFields={shownMeetingFields}
          onReload={
            conflict
              ? () => {
                  const next = { meeting: fresh.data, series: freshSeries.data ?? base.series };
                  // What the person changed stays; what they left alone takes the latest value (a three-way merge), so
                  // sending again does not undo the other person's change.
                  setDraft((d) => mergeDraft(d, read, draftOf(next.meeting, next.series)));
                  setBase(next);
                }
              : undefined
          }
        />
        {conflict && (
          <div className="warning" role="status">
            <p>
              Senaste versionen: {latest.title}, {meetingWhen(latest)}, {latest.status === 'cancelled' ? 'avbokat' : 'planerat'} (version{' '}
              {latest.version}
              {freshSeries.data ? `, serien version ${freshSeries.data.version}${freshSeries.data.status === 'ended' ? ', avslutad' : ''}` : ''}). Du
              läste version {base.meeting.version}
              {base.series ? ` (serien ${base.series.version})` : ''}.
            </p>
          </div>
        )}
        <FormActions
          pending={save.isPending}
          pendingLabel="Sparar…"
          label={scope === 'one' ? 'Spara tillfället' : 'Ändra serien'}
          onCancel={props.onClose}
        />
      </form>
    </Dialog>
  );
}

/** Avboka: cancel one meeting or occurrence (partners get METHOD:CANCEL). */
export function CancelMeetingDialog(props: { meeting: Meeting; onClose: () => void; onDone: (message: string) => void }) {
  const { api } = useApp();
  const qc = useQueryClient();
  const keyFor = useIdempotencyKey();
  const [base, setBase] = useState(props.meeting);
  const fresh = useQuery({
    queryKey: ['meeting', props.meeting.id],
    queryFn: async () => unwrap(await api.GET('/meetings/{id}', { params: { path: { id: props.meeting.id } } })),
    initialData: props.meeting,
    staleTime: Infinity,
  });
  const cancel = useMutation({
    mutationFn: async () => {
      const body = { version: base.version };
      return unwrap(
        await api.POST('/meetings/{id}/cancel', {
          params: { path: { id: base.id }, header: { 'Idempotency-Key': keyFor({ id: base.id, ...body }) } },
          body,
        }),
      );
    },
    onSuccess: async (m) => {
      await qc.invalidateQueries({ queryKey: ['meetings'] });
      props.onDone(`Mötet är avbokat: ${m.title}, ${meetingWhen(m)}.`);
    },
    onError: async (e) => {
      if (e instanceof ApiProblem && e.isConflict) await Promise.all([fresh.refetch(), qc.invalidateQueries({ queryKey: ['meetings'] })]);
    },
  });
  const conflict = cancel.error instanceof ApiProblem && cancel.error.isConflict;
  return (
    <Dialog title="Avboka möte" onClose={props.onClose}>
      <p>
        <strong>{base.title}</strong>, {meetingWhen(base)}
        {base.seriesId ? ' (bara detta tillfälle; serien fortsätter)' : ''}.
      </p>
      {base.external.length > 0 && <p>{base.external.length} externa deltagare får en avbokning i sin kalender.</p>}
      <ProblemAlert error={cancel.error} onReload={conflict ? () => setBase(fresh.data) : undefined} />
      {conflict && (
        <p className="warning" role="status">
          Senaste versionen: {fresh.data.title}, {meetingWhen(fresh.data)}, {fresh.data.status === 'cancelled' ? 'redan avbokat' : 'planerat'}.
        </p>
      )}
      <div className="actions">
        <button type="button" className="danger" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
          Avboka
        </button>
        <button type="button" className="ghost" onClick={props.onClose}>
          Behåll mötet
        </button>
      </div>
    </Dialog>
  );
}

const reminderStatuses = ['pending', 'sent', 'failed', 'unknown', 'dropped'] as const;
const reminderStatusLabel: Record<string, string> = {
  pending: 'väntar',
  sending: 'skickas',
  sent: 'skickad',
  failed: 'misslyckades',
  unknown: 'okänt om den kom fram',
  dropped: 'skickades inte (inaktuell)',
};

/**
 * Utskick: the invitations the API has queued or sent for a meeting or its series. The API lists reminders by status
 * only, without the recipient (GET /reminders omits e-mail and name), so this shows what went out and when, not to whom.
 */
export function InvitationsDialog(props: { meeting: Meeting; onClose: () => void }) {
  const { api } = useApp();
  const staff = useStaff();
  const lists = useQueries({
    queries: reminderStatuses.map((status) => ({
      queryKey: ['reminders', status],
      queryFn: async () => unwrap(await api.GET('/reminders', { params: { query: { status } } })).reminders,
    })),
  });
  const m = props.meeting;
  const loading = lists.some((l) => l.isPending);
  const failed = lists.find((l) => l.error)?.error;
  const mine: Reminder[] = lists
    .flatMap((l) => l.data ?? [])
    .filter(
      (r) =>
        (r.kind === 'invitation' || r.kind === 'meeting_external') &&
        (r.meetingId === m.id || (m.seriesId !== undefined && r.seriesId === m.seriesId && !r.meetingId)),
    )
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const at = (s: string | undefined) => (s ? local(s).toFormat('d MMM HH:mm') : '–');
  return (
    <Dialog title="Utskick för mötet" onClose={props.onClose} wide>
      <p>
        <strong>{m.title}</strong>, {meetingWhen(m)}. Externa deltagare:{' '}
        {m.external.length ? m.external.map((a) => `${a.name} (${a.organisation})`).join(', ') : 'inga'}. Teamet:{' '}
        {m.staff.map((id) => staffName(staff.data, id)).join(', ')}.
      </p>
      {failed ? <ProblemAlert error={failed} /> : null}
      {loading ? (
        <p role="status">Laddar utskick…</p>
      ) : mine.length === 0 ? (
        <p>Inga inbjudningar eller påminnelser är registrerade för mötet{m.external.length ? '' : ' (det har inga externa deltagare)'}.</p>
      ) : (
        <table>
          <caption>Inbjudningar och påminnelser till externa deltagare</caption>
          <thead>
            <tr>
              <th scope="col">Vad</th>
              <th scope="col">Gäller</th>
              <th scope="col">Status</th>
              <th scope="col">Köad</th>
              <th scope="col">Skickad</th>
            </tr>
          </thead>
          <tbody>
            {mine.map((r) => (
              <tr key={r.id}>
                <td>
                  {r.kind === 'meeting_external'
                    ? 'påminnelse'
                    : r.method === 'CANCEL'
                      ? 'avbokning'
                      : (r.aboutVersion ?? 0) > 0
                        ? 'uppdaterad inbjudan'
                        : 'inbjudan'}
                </td>
                <td>{r.meetingId ? 'detta tillfälle' : 'hela serien'}</td>
                <td>
                  <span className={r.status === 'failed' || r.status === 'unknown' ? 'badge bad' : r.status === 'sent' ? 'badge ok' : 'badge'}>
                    {reminderStatusLabel[r.status] ?? r.status}
                  </span>
                  {r.lastError ? ` ${r.lastError}` : ''}
                </td>
                <td>{at(r.createdAt)}</td>
                <td>{at(r.sentAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint">API:t visar inte till vem varje utskick gick, bara att det gick ut.</p>
    </Dialog>
  );
}
