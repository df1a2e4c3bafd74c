import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { unwrap } from '../../api/problem';
import type { operations } from '../../api/schema';
import { usePageTitle } from '../../lib/page-title';
import { Field, ProblemAlert, fieldError } from '../../ui/form';
import { useSession } from './session';

type Notifications = NonNullable<operations['updateStaff']['requestBody']['content']['application/json']['notifications']>;

function Choice<T extends string>(props: { legend: string; value: T; options: [T, string][]; onChange: (v: T) => void }) {
  const name = useId();
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      {props.options.map(([v, label]) => (
        <label key={v} className="choice">
          <input type="radio" name={name} checked={props.value === v} onChange={() => props.onChange(v)} /> {label}
        </label>
      ))}
    </fieldset>
  );
}

/** Mina påminnelser: channels and the lead time before each visit, within the team's policy (SPEC §6). */
export default function RemindersPage() {
  usePageTitle('Mina påminnelser');
  const { api, staffId, teamId } = useSession();
  const queryClient = useQueryClient();
  const me = useQuery({
    queryKey: ['therapist', 'me', staffId],
    queryFn: async () =>
      unwrap(await (api ? api.GET('/staff/{staffId}', { params: { path: { staffId } } }) : Promise.reject(new Error('Kräver nät och inloggning.')))),
    enabled: api !== undefined,
  });
  const team = useQuery({
    queryKey: ['therapist', 'team', teamId],
    queryFn: async () =>
      unwrap(await (api ? api.GET('/teams/{teamId}', { params: { path: { teamId } } }) : Promise.reject(new Error('Kräver nät och inloggning.')))),
    enabled: api !== undefined,
  });
  const [form, setForm] = useState<Notifications>();
  useEffect(() => {
    if (me.data && !form) setForm(me.data.notifications);
  }, [me.data, form]);
  const save = useMutation({
    mutationFn: async (n: Notifications) => {
      if (!api || !me.data) throw new Error('Kräver nät och inloggning.');
      return unwrap(await api.PATCH('/staff/{staffId}', { params: { path: { staffId } }, body: { version: me.data.version, notifications: n } }));
    },
    onSuccess: (staff) => {
      queryClient.setQueryData(['therapist', 'me', staffId], staff);
      setForm(staff.notifications);
    },
  });
  const policy = team.data?.reminderPolicy;
  if (!api) return <p className="warning">Påminnelserna ändras när du är inloggad och har nät.</p>;
  if (!form || !policy || !me.data)
    return (
      <section>
        <h1>Mina påminnelser</h1>
        <ProblemAlert error={me.error ?? team.error} />
        {!me.error && !team.error && <p className="loading">Laddar…</p>}
      </section>
    );
  const leads = [5, 10, 15, 30, 45, 60, 90, 120, 180, 240, 360, 720, 1440].filter((m) => m >= policy.minLeadMinutes && m <= policy.maxLeadMinutes);
  const current = form.visitLeadMinutes ?? policy.visitLeadMinutes;
  const set = (change: Partial<Notifications>) => setForm({ ...form, ...change });
  const noMobile = !me.data.mobile;
  return (
    <section>
      <h1>Mina påminnelser</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(form);
        }}
      >
        <Choice
          legend="Påminnelse före varje besök"
          value={form.visitReminder ?? 'sms'}
          options={[
            ['sms', 'SMS'],
            ['email', 'E-post'],
            ['off', 'Av'],
          ]}
          onChange={(v) => set({ visitReminder: v })}
        />
        {form.visitReminder !== 'off' && (
          <Field
            label="Hur lång tid före?"
            hint={`Teamets regler: ${policy.minLeadMinutes}–${policy.maxLeadMinutes} minuter (standard ${policy.visitLeadMinutes}).`}
            error={fieldError(save.error, 'notifications.visitLeadMinutes')}
          >
            <select value={current} onChange={(e) => set({ visitLeadMinutes: Number(e.target.value) })}>
              {[...new Set([...leads, current])]
                .sort((a, b) => a - b)
                .map((m) => (
                  <option key={m} value={m}>
                    {m < 60 ? `${m} minuter` : m % 60 === 0 ? `${m / 60} timm${m === 60 ? 'e' : 'ar'}` : `${Math.floor(m / 60)} h ${m % 60} min`}
                  </option>
                ))}
            </select>
          </Field>
        )}
        <Choice
          legend={`Dagens schema kvällen före (kl. ${policy.agendaTime})`}
          value={form.dailyAgenda ?? 'email'}
          options={[
            ['email', 'E-post'],
            ['off', 'Av'],
          ]}
          onChange={(v) => set({ dailyAgenda: v })}
        />
        <Choice
          legend={`När ett besök inom ${policy.changeNoticeHours} timmar flyttas eller avbokas`}
          value={form.changeNotice ?? 'sms'}
          options={[
            ['sms', 'SMS'],
            ['email', 'E-post'],
            ['off', 'Av'],
          ]}
          onChange={(v) => set({ changeNotice: v })}
        />
        <p className="hint">
          Inga SMS mellan {policy.quietStart} och {policy.quietEnd}; de skickas {policy.quietEnd} i stället. Meddelandena innehåller bara tid, ort,
          familjekod och typ av besök.
          {noMobile && ' Du har inget mobilnummer registrerat, så SMS skickas som e-post. Be samordnaren lägga in numret.'}
        </p>
        <ProblemAlert
          error={save.error}
          shownFields={['notifications.visitLeadMinutes']}
          onReload={() => void me.refetch().then((r) => r.data && setForm(r.data.notifications))}
        />
        {save.isSuccess && (
          <p className="notice" role="status">
            Sparat.
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            Spara påminnelser
          </button>
        </div>
      </form>
    </section>
  );
}
