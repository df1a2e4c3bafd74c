import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiProblem, unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { usePageTitle } from '../../lib/page-title';
import { now } from '../../lib/time';
import { Field, ProblemAlert, fieldError } from '../../ui/form';
import { usePilotStatus } from './pilot-status';

/** A number at a dotted path of the (open-ended) figures document, or undefined. */
function at(doc: unknown, path: string): number | string | undefined {
  let cur: unknown = doc;
  for (const part of path.split('.')) cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[part] : undefined;
  return typeof cur === 'number' || typeof cur === 'string' ? cur : undefined;
}

const headline: [string, string][] = [
  ['Ärenden som startade', 'cases.started'],
  ['Ärenden aktiva under perioden', 'cases.activeDuring'],
  ['Avslutade ärenden', 'cases.completed'],
  ['Remisser mottagna', 'referrals.received'],
  ['– antagna', 'referrals.accepted'],
  ['– avböjda', 'referrals.declined'],
  ['– väntar', 'referrals.pending'],
  ['Förfrågningar och konsultationer', 'inquiries.total'],
  ['Familjeveckor', 'delivery.familyWeeks'],
  ['Genomförda besök', 'delivery.visitsDone'],
  ['Besök per familjevecka (medel)', 'delivery.perFamilyWeek.mean'],
  ['Besök per familjevecka (median)', 'delivery.perFamilyWeek.median'],
  ['Veckor som når målet', 'delivery.weeksAtTarget'],
  ['Veckor under målet', 'delivery.weeksBelowTarget'],
  ['Avbokade av familjen', 'cancellations.byFamily'],
  ['Avbokade av teamet', 'cancellations.byTeam'],
  ['Uteblivna', 'cancellations.noShow'],
  ['Vårdtid i dagar (median)', 'lengthOfStayDays.median'],
];

const receiptLabels: Record<string, string> = {
  cases: 'ärenden',
  declinedReferrals: 'avböjda remisser',
  erasedCases: 'raderade på begäran',
  figuresFolded: 'siffror bevarade',
  visits: 'besök',
  reminders: 'påminnelser',
  auditEntries: 'loggposter',
  meetings: 'möten',
  staffContacts: 'personalkontakter',
};
const previewKind: Record<string, string> = {
  case: 'ärende',
  declinedReferral: 'avböjd remiss',
  meeting: 'möte',
  series: 'mötesserie',
  staffContacts: 'personalkontakt',
  reminder: 'påminnelse',
};

/**
 * *Utvärdering*: the figures of SPEC §9 for a chosen period (months), the report, CSV and shared report downloaded
 * signed in (the report is a file of its own: printable, with its own styles), and the retention preview and purge
 * receipts of §10.
 */
export default function EvaluationPage() {
  usePageTitle('Utvärdering');
  const { api, config, idToken, person } = useApp();
  const year = now().year;
  const [from, setFrom] = useState(`${year}-01`);
  const [to, setTo] = useState(now().toFormat('yyyy-MM'));
  const [period, setPeriod] = useState({ from, to });
  const figures = useQuery({ queryKey: ['figures', period], queryFn: async () => unwrap(await api.GET('/figures', { params: { query: period } })) });
  const download = useMutation({
    mutationFn: async (what: { path: '/figures/report' | '/figures/csv'; share: boolean; name: string }) => {
      // openapi-fetch parses JSON; these two are a document and a file, so they are fetched as text with the same token.
      const query = new URLSearchParams({ ...period, ...(what.share ? { share: 'true' } : {}) });
      const res = await fetch(`${config.apiUrl}${what.path}?${query}`, { headers: { Authorization: `Bearer ${(await idToken()) ?? ''}` } });
      if (!res.ok) throw new ApiProblem(res.status, `Kunde inte hämta filen (${res.status}).`);
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = what.name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return what.name;
    },
  });
  const teamId = person.teamId ?? '';
  const preview = useQuery({
    queryKey: ['retention-preview'],
    queryFn: async () => unwrap(await api.GET('/teams/{teamId}/retention/preview', { params: { path: { teamId }, query: {} } })),
  });
  const receipts = useQuery({
    queryKey: ['retention-receipts'],
    queryFn: async () => unwrap(await api.GET('/teams/{teamId}/retention/receipts', { params: { path: { teamId } } })).receipts,
  });
  const label = `${period.from}–${period.to}`;
  // `npm start` only: the demo's pilot history, loaded in the background on a first start.
  const pilot = usePilotStatus();

  return (
    <>
      <section aria-labelledby="eval-heading">
        <h1 id="eval-heading">Utvärdering</h1>
        <form
          className="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            setPeriod({ from, to });
          }}
        >
          <Field label="Från månad" error={fieldError(figures.error, 'from')}>
            <input type="month" value={from} onChange={(e) => setFrom(e.target.value)} />
          </Field>
          <Field label="Till månad" error={fieldError(figures.error, 'to')}>
            <input type="month" value={to} onChange={(e) => setTo(e.target.value)} />
          </Field>
          <button type="submit">Visa siffrorna</button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setFrom('2023-01');
              setTo('2025-12');
              setPeriod({ from: '2023-01', to: '2025-12' });
            }}
          >
            Piloten 2023–2025
          </button>
        </form>
        <ProblemAlert error={figures.error} shownFields={['from', 'to']} />
        {pilot?.state === 'loading' && (
          <p className="notice" role="status">
            Pilothistoriken läses fortfarande in ({pilot.percent} %): siffrorna för 2023–2025 är ofullständiga tills den är klar.
          </p>
        )}
        {pilot?.state === 'failed' && (
          <p className="alert" role="alert">
            Pilothistoriken kunde inte läsas in: siffrorna för 2023–2025 är ofullständiga. Starta om npm start.
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={() => download.mutate({ path: '/figures/report', share: false, name: `ikb-rapport-${label}.html` })}>
            Ladda ner rapporten
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => download.mutate({ path: '/figures/csv', share: false, name: `ikb-siffror-${label}.csv` })}
          >
            Ladda ner CSV
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => download.mutate({ path: '/figures/report', share: true, name: `ikb-rapport-delbar-${label}.html` })}
          >
            Ladda ner delbar rapport
          </button>
          {download.isSuccess && <span role="status">Hämtad: {download.data}</span>}
        </div>
        <ProblemAlert error={download.error} />
        {figures.data && (
          <table className="figures">
            <caption>Siffror {label} (exakta, för teamet)</caption>
            <tbody>
              {headline.map(([name, path]) => (
                <tr key={path}>
                  <th scope="row">{name}</th>
                  <td className="num">{at(figures.data, path) ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="retention-heading">
        <h2 id="retention-heading">Gallring</h2>
        <ProblemAlert error={preview.error ?? receipts.error} />
        {preview.data && (
          <table>
            <caption>Det som gallras härnäst (per {preview.data.asOf})</caption>
            <thead>
              <tr>
                <th scope="col">Vad</th>
                <th scope="col">Räknas från</th>
                <th scope="col">Gallras</th>
              </tr>
            </thead>
            <tbody>
              {preview.data.entries.slice(0, 20).map((e, i) => (
                <tr key={`${e.kind}-${e.code ?? e.staffId ?? i}`}>
                  <th scope="row">
                    {previewKind[e.kind] ?? e.kind} {e.code ?? e.staffId ?? ''}
                  </th>
                  <td>{e.since}</td>
                  <td>{e.due ? <span className="badge warn">vid nästa gallring</span> : e.purgeOn}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {receipts.data && (
          <table>
            <caption>Kvitton på gallringar</caption>
            <thead>
              <tr>
                <th scope="col">När</th>
                <th scope="col">Av</th>
                <th scope="col">Borttaget</th>
              </tr>
            </thead>
            <tbody>
              {receipts.data.length === 0 && (
                <tr>
                  <td colSpan={3}>Ingen gallring ännu.</td>
                </tr>
              )}
              {receipts.data.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.at.slice(0, 16).replace('T', ' ')}</th>
                  <td>{r.actor}</td>
                  <td>
                    {Object.entries(r.counts)
                      .filter(([k, n]) => n > 0 && receiptLabels[k])
                      .map(([k, n]) => `${n} ${receiptLabels[k]}`)
                      .join(', ') || 'inget'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
