import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { paths } from '../../api/schema';
import { newIdempotencyKey } from '../../api/client';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { kindLabel } from '../../lib/labels';
import { hhmm, local, longDay } from '../../lib/time';
import { ProblemAlert } from '../../ui/form';

type Proposal = paths['/weeks/{week}/replan']['post']['responses'][200]['content']['application/json'];
type Decision = Proposal['decisions'][number];
type Option = Decision['options'][number];
type CommitBody = NonNullable<paths['/weeks/{week}/replan/commit']['post']['requestBody']>['content']['application/json'];
type CommitDecision = NonNullable<CommitBody['decisions']>[number];

/** The most decisions one commit takes (the API's limit: one DynamoDB transaction). */
const perCommit = 25;
const optionName: Record<Option['option'], string> = {
  move: 'Flytta',
  partner: 'Partnern tar det',
  colleague: 'En kollega tar det',
  cancel: 'Avboka',
};

function describe(option: Option): string {
  if (!option.possible) return option.reason ?? 'inte möjligt';
  switch (option.option) {
    case 'move':
      return `till ${option.start ? `${longDay(local(option.start))} ${hhmm(option.start)}` : '?'}${option.extraTravelMinutes ? `, ${option.extraTravelMinutes} min extra resa` : ''}${option.chain?.length ? ` (först flyttas ${option.chain.map((c) => `${c.family} ${kindLabel[c.kind]} till ${longDay(local(c.start))} ${hhmm(c.start)}`).join(', ')})` : ''}`;
    case 'partner':
      return `${option.staff?.join(' och ') ?? ''} ger det som ${kindLabel[option.kind ?? ''] ?? option.kind}besök`;
    case 'colleague':
      return `${option.staff?.join(' och ') ?? ''} ger det — bryter kontinuiteten, kräver ditt godkännande`;
    case 'cancel':
      return 'avbokas av teamet (personalfrånvaro); familjens andra terapeut och samordnaren får besked';
  }
}

/** What the chosen option becomes in the commit: a chain's moves first, then the visit's own decision. */
function toCommit(decision: Decision, option: Option, confirmed: boolean): CommitDecision[] {
  const base = { visit: decision.visit, version: decision.version };
  if (option.option === 'move')
    return [
      ...(option.chain ?? []).map((c): CommitDecision => ({ visit: c.visit, version: c.version, action: 'move', start: c.start, end: c.end })),
      { ...base, action: 'move', start: option.start ?? '', end: option.end ?? '' },
    ];
  if (option.option === 'colleague')
    return confirmed
      ? [{ ...base, action: 'colleague', staff: option.staff?.find((s) => !decision.staff.includes(s)) ?? '', confirmContinuityBreak: true }]
      : [];
  return [{ ...base, action: option.option }];
}

/**
 * *Föreslå omplanering*: per visit an absence knocks out, the four options in the order a coordinator prefers them —
 * move it, the partner takes it, a colleague takes it, cancel — the proposed one chosen, the impossible ones with the
 * rule that binds. *Boka omplaneringen* commits the choices in one request with the versions read (409 if anything
 * changed: propose again).
 */
export function ReplanPanel(props: { week: string; onDone: () => void }) {
  const { api } = useApp();
  const queryClient = useQueryClient();
  const proposal = useQuery({
    queryKey: ['replan', props.week],
    queryFn: async () => unwrap(await api.POST('/weeks/{week}/replan', { params: { path: { week: props.week } } })),
    staleTime: 0,
    gcTime: 0,
  });
  const [choice, setChoice] = useState<Record<string, Option['option']>>({});
  const [confirmed, setConfirmed] = useState<Record<string, boolean>>({});
  const [key, setKey] = useState(newIdempotencyKey);
  const decisions = proposal.data?.decisions ?? [];
  const chosen = (d: Decision) => d.options.find((o) => o.option === (choice[d.visit] ?? d.proposed)) ?? d.options[0];
  const batch = decisions.slice(0, perCommit);
  const commit = useMutation({
    mutationFn: async () => {
      const body = batch.flatMap((d) => {
        const option = chosen(d);
        return option ? toCommit(d, option, confirmed[d.visit] === true) : [];
      });
      return unwrap(
        await api.POST('/weeks/{week}/replan/commit', {
          params: { path: { week: props.week }, header: { 'Idempotency-Key': key } },
          body: { decisions: body },
        }),
      );
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['visits'] }),
  });
  const reload = () => {
    setKey(newIdempotencyKey());
    commit.reset();
    setChoice({});
    setConfirmed({});
    void proposal.refetch();
  };
  const unconfirmed = batch.filter((d) => chosen(d)?.option === 'colleague' && !confirmed[d.visit]);
  const data = proposal.data;
  return (
    <section aria-labelledby="replan-heading" className="card">
      <h2 id="replan-heading">Omplanering vecka {Number(props.week.slice(6))}</h2>
      {proposal.isPending && <p role="status">Räknar fram en omplanering…</p>}
      <ProblemAlert error={proposal.error} />
      {data && (
        <>
          <p>
            {data.stats.affected} besök berörs av frånvaro. Förslaget: {data.stats.moved} flyttas, {data.stats.coveredByPartner} tas av partnern,{' '}
            {data.stats.coveredByColleague} av en kollega, {data.stats.cancelled} avbokas.
          </p>
          {decisions.length > perCommit && (
            <p className="warning">
              {decisions.length} besök berörs; de första {perCommit} bokas nu (en transaktion), sedan föreslår du igen för resten.
            </p>
          )}
          {batch.map((d) => {
            const selected = chosen(d);
            return (
              <fieldset key={d.visit} className="decision">
                <legend>
                  {d.family} {kindLabel[d.kind]} {longDay(local(d.startLocal))} {hhmm(d.startLocal)}–{hhmm(d.endLocal)} · frånvarande:{' '}
                  {d.absentStaff.join(' och ')}
                </legend>
                {d.options.map((o) => (
                  <label key={o.option} className={o.possible ? 'check' : 'check impossible'}>
                    <input
                      type="radio"
                      name={`decision-${d.visit}`}
                      value={o.option}
                      disabled={!o.possible || commit.isSuccess}
                      checked={selected?.option === o.option}
                      onChange={() => setChoice((c) => ({ ...c, [d.visit]: o.option }))}
                    />
                    <span>
                      <strong>{optionName[o.option]}</strong>
                      {o.option === d.proposed && <span className="badge ok">föreslås</span>}: {describe(o)}
                    </span>
                  </label>
                ))}
                {selected?.option === 'colleague' && (
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={confirmed[d.visit] === true}
                      onChange={(e) => setConfirmed((c) => ({ ...c, [d.visit]: e.target.checked }))}
                    />{' '}
                    Jag godkänner att någon utanför paret tar besöket
                  </label>
                )}
              </fieldset>
            );
          })}
          <ProblemAlert error={commit.error} onReload={reload} />
          {commit.isSuccess ? (
            <p className="notice" role="status">
              Omplaneringen är bokad: {commit.data.moved.length} flyttade, {commit.data.covered.length} täckta, {commit.data.cancelled.length}{' '}
              avbokade
              {commit.data.restored.length > 0 ? `, ${commit.data.restored.length} återställda` : ''}.
            </p>
          ) : (
            <div className="actions">
              <button type="button" disabled={batch.length === 0 || commit.isPending || unconfirmed.length > 0} onClick={() => commit.mutate()}>
                Boka omplaneringen
              </button>
              {unconfirmed.length > 0 && <span className="muted">Godkänn kollegan först.</span>}
            </div>
          )}
        </>
      )}
      <button type="button" className="secondary" onClick={props.onDone}>
        Stäng omplaneringen
      </button>
    </section>
  );
}
