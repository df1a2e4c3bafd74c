import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { newIdempotencyKey } from '../../api/client';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { roleLabel } from '../../lib/labels';
import { Dialog } from '../../ui/dialog';
import { Field, ProblemAlert, fieldError } from '../../ui/form';

type Role = 'coordinator' | 'family_therapist' | 'individual_therapist';
const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start, end }));

/**
 * Adds a staff member with the e-mail their sign-in is created for (an invitation goes to it): *Ny personal* for the
 * coordinator (any role), *Bjud in samordnare* for an administrator (`teamId` named, role coordinator).
 */
export function AddStaffDialog(props: {
  title: string;
  places: string[];
  onClose: () => void;
  /** An administrator names the team and adds its coordinator; absent: the caller's own team. */
  forTeam?: { id: string; name: string };
  submitLabel: string;
  /** Query keys the new person shows in. */
  invalidates: readonly unknown[];
}) {
  const { api } = useApp();
  const queryClient = useQueryClient();
  const fixedRole = props.forTeam ? 'coordinator' : undefined;
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>(fixedRole ?? 'family_therapist');
  const [base, setBase] = useState(props.places[0] ?? 'Kalmar');
  const [email, setEmail] = useState('');
  const [mobile, setMobile] = useState('');
  const [start, setStart] = useState('08:00');
  const [end, setEnd] = useState('17:00');
  const [key] = useState(newIdempotencyKey);
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/staff', {
          params: { header: { 'Idempotency-Key': key } },
          body: {
            id,
            name,
            role,
            base,
            email,
            ...(mobile ? { mobile } : {}),
            workingHours: weekdays(start, end),
            ...(props.forTeam ? { teamId: props.forTeam.id } : {}),
          },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: props.invalidates }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      {save.isSuccess ? (
        <div>
          <p className="notice" role="status">
            {props.forTeam ? `${save.data.id} är samordnare i ${props.forTeam.name}.` : `${save.data.id} är tillagd.`} En inloggning skapas för{' '}
            {save.data.email}; inbjudan går dit.
          </p>
          <button type="button" className="secondary" onClick={props.onClose}>
            Klar
          </button>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          <div className="row">
            <Field label="Kortnamn (id)" hint="Små bokstäver, t.ex. maria" error={fieldError(save.error, 'id')}>
              <input value={id} onChange={(e) => setId(e.target.value)} autoComplete="off" required />
            </Field>
            <Field label="Namn" error={fieldError(save.error, 'name')}>
              <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" required />
            </Field>
          </div>
          <div className="row">
            <Field label="Roll" error={fieldError(save.error, 'role')}>
              <select value={role} onChange={(e) => setRole(e.target.value as Role)} disabled={fixedRole !== undefined}>
                {(['family_therapist', 'individual_therapist', 'coordinator'] as const).map((r) => (
                  <option key={r} value={r}>
                    {roleLabel[r]}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Utgår från" error={fieldError(save.error, 'base')}>
              <select value={base} onChange={(e) => setBase(e.target.value)}>
                {props.places.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </Field>
          </div>
          <div className="row">
            <Field label="E-post (inloggning)" error={fieldError(save.error, 'email')}>
              <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" required />
            </Field>
            <Field label="Mobil (för sms)" hint="+46…" error={fieldError(save.error, 'mobile')}>
              <input type="tel" value={mobile} onChange={(e) => setMobile(e.target.value)} autoComplete="off" />
            </Field>
          </div>
          <div className="row">
            <Field label="Arbetar från (mån–fre)" error={fieldError(save.error, 'workingHours')}>
              <input type="time" value={start} onChange={(e) => setStart(e.target.value)} />
            </Field>
            <Field label="Arbetar till">
              <input type="time" value={end} onChange={(e) => setEnd(e.target.value)} />
            </Field>
          </div>
          <ProblemAlert error={save.error} shownFields={['id', 'name', 'role', 'base', 'email', 'mobile', 'workingHours']} />
          <div className="actions">
            <button type="submit" disabled={save.isPending}>
              {props.submitLabel}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
