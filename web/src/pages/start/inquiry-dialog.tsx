import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { newIdempotencyKey } from '../../api/client';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { isoDate, now } from '../../lib/time';
import { Dialog } from '../../ui/dialog';
import { Field, ProblemAlert, fieldError } from '../../ui/form';

const kinds = { inquiry: 'förfrågan', consultation: 'konsultation', information: 'information' } as const;
const channels = { in_passing: 'i förbigående', phone: 'telefon', meeting: 'möte', email: 'e-post', video: 'video' } as const;
const sources = { socialtjanst: 'socialtjänsten', bup: 'BUP', school: 'skolan', other: 'annan' } as const;
const outcomes = { advice_given: 'råd gavs', referral_expected: 'remiss väntas', not_target_group: 'inte målgruppen', other: 'annat' } as const;

type Keys<T> = keyof T & string;

/**
 * *Logga förfrågan*: an inquiry or consultation that is not a case, in two clicks — the form opens with today's date
 * and the most common answers filled in; categories only (no names, no free text), as the figures need.
 */
export function InquiryDialog(props: { places: string[]; onClose: () => void }) {
  const { api } = useApp();
  const queryClient = useQueryClient();
  const [date, setDate] = useState(isoDate(now()));
  const [kind, setKind] = useState<Keys<typeof kinds>>('inquiry');
  const [channel, setChannel] = useState<Keys<typeof channels>>('in_passing');
  const [source, setSource] = useState<Keys<typeof sources>>('socialtjanst');
  const [municipality, setMunicipality] = useState(props.places[0] ?? 'Kalmar');
  const [outcome, setOutcome] = useState<Keys<typeof outcomes>>('advice_given');
  const [key] = useState(newIdempotencyKey);
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/inquiries', {
          params: { header: { 'Idempotency-Key': key } },
          body: { date, kind, channel, source, municipality, outcome },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['inquiries'] }),
  });
  const select = <T extends Record<string, string>>(value: string, set: (v: Keys<T>) => void, options: T) => (
    <select value={value} onChange={(e) => set(e.target.value as Keys<T>)}>
      {Object.entries(options).map(([k, v]) => (
        <option key={k} value={k}>
          {v}
        </option>
      ))}
    </select>
  );
  return (
    <Dialog title="Logga förfrågan" onClose={props.onClose}>
      {save.isSuccess ? (
        <div>
          <p className="notice" role="status">
            Förfrågan är loggad ({kinds[kind]}, {sources[source]}, {municipality}).
          </p>
          <button type="button" className="secondary" onClick={props.onClose}>
            Klar
          </button>
        </div>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
          noValidate
        >
          <p className="hint">Bara kategorier: inga namn eller fritext. Räknas i utvärderingen.</p>
          <div className="row">
            <Field label="Datum" error={fieldError(save.error, 'date')}>
              <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
            </Field>
            <Field label="Slag" error={fieldError(save.error, 'kind')}>
              {select(kind, setKind, kinds)}
            </Field>
            <Field label="Hur" error={fieldError(save.error, 'channel')}>
              {select(channel, setChannel, channels)}
            </Field>
          </div>
          <div className="row">
            <Field label="Från" error={fieldError(save.error, 'source')}>
              {select(source, setSource, sources)}
            </Field>
            <Field label="Kommun" error={fieldError(save.error, 'municipality')}>
              <select value={municipality} onChange={(e) => setMunicipality(e.target.value)}>
                {props.places.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Utfall" error={fieldError(save.error, 'outcome')}>
              {select(outcome, setOutcome, outcomes)}
            </Field>
          </div>
          <ProblemAlert error={save.error} shownFields={['date', 'kind', 'channel', 'source', 'municipality', 'outcome']} />
          <div className="actions">
            <button type="submit" disabled={save.isPending}>
              Spara förfrågan
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
