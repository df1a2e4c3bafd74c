import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import { unwrap } from '../../api/problem';
import { useApp } from '../../app-context';
import { lastWeek, usePageTitle } from '../../lib/page-title';
import { daysOf, isoDate, now, shiftWeek, thisWeek, weekLabel, weekRange } from '../../lib/time';
import { ProblemAlert } from '../../ui/form';
import { AbsenceDialog } from './absence-dialog';
import { FamilyTargets, WeekBoard } from './board';
import { PlanPanel } from './plan-panel';
import { ReplanPanel } from './replan-panel';
import { VisitDialog } from './visit-dialog';
import type { PlanProposal, Visit } from './week-data';
import { useWeekData } from './week-data';

const weekPattern = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;

/** *Veckan*: the week board, with planning, absences and their repair, and each visit a click away. */
export default function WeekPage() {
  const { api } = useApp();
  const search = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const asked = search.get('v') ?? '';
  const week = weekPattern.test(asked) ? asked : thisWeek();
  usePageTitle(`Veckan ${weekLabel(week)}`);
  lastWeek.value = week;
  const data = useWeekData(week);
  const days = daysOf(week);
  const [proposal, setProposal] = useState<PlanProposal | undefined>();
  const [replanning, setReplanning] = useState(search.get('omplanera') === '1');
  const [absenceOpen, setAbsenceOpen] = useState(false);
  const [openVisit, setOpenVisit] = useState<Visit | undefined>();
  const go = (w: string, replan = false) => {
    setProposal(undefined);
    setReplanning(replan);
    navigate(`/veckan?v=${w}${replan ? '&omplanera=1' : ''}`);
  };
  const propose = useMutation({
    mutationFn: async () => unwrap(await api.POST('/weeks/{week}/plan', { params: { path: { week } } })),
    onSuccess: (p) => setProposal(p),
  });
  // The API flags a planned visit inside an absence (`absentStaff`) until the coordinator decides (issue 23).
  const flagged = data.visits.filter((v) => v.status === 'planned' && (v.absentStaff?.length ?? 0) > 0);
  const today = isoDate(now());
  const defaultDate = days.some((d) => isoDate(d) === today) ? today : weekRange(week).from;

  return (
    <section aria-labelledby="week-heading">
      <div className="toolbar">
        <h1 id="week-heading">Veckan {weekLabel(week)}</h1>
        <span className="muted">
          {days[0]?.toFormat('d MMM')}–{days[6]?.toFormat('d MMM yyyy')}
        </span>
        <span className="spacer" />
        <button type="button" className="secondary" onClick={() => go(shiftWeek(week, -1))}>
          ← Föregående vecka
        </button>
        <button type="button" className="secondary" onClick={() => go(thisWeek())} disabled={week === thisWeek()}>
          Denna vecka
        </button>
        <button type="button" className="secondary" onClick={() => go(shiftWeek(week, 1))}>
          Nästa vecka →
        </button>
      </div>
      <div className="toolbar">
        <button type="button" onClick={() => propose.mutate()} disabled={propose.isPending}>
          Föreslå plan
        </button>
        <button type="button" className="secondary" onClick={() => setAbsenceOpen(true)}>
          Registrera frånvaro
        </button>
        <button type="button" className="secondary" onClick={() => setReplanning(true)}>
          Föreslå omplanering
        </button>
        {propose.isPending && <span role="status">Planerar veckan…</span>}
        {flagged.length > 0 && (
          <span className="badge bad" role="status">
            {flagged.length} besök ligger i en frånvaro
          </span>
        )}
      </div>
      <ProblemAlert error={propose.error ?? data.error} />
      {proposal && <PlanPanel week={week} proposal={proposal} onDone={() => setProposal(undefined)} />}
      {replanning && <ReplanPanel week={week} onDone={() => setReplanning(false)} />}
      {data.loading ? (
        <p role="status" className="loading">
          Laddar veckan…
        </p>
      ) : (
        <>
          <div className="legend" aria-hidden="true">
            <span className="eng">familj</span>
            <span className="eng kind-individual">individ</span>
            <span className="eng kind-joint">gemensam</span>
            <span className="eng meeting">möte</span>
            <span className="eng proposed">förslag</span>
          </div>
          <WeekBoard
            week={week}
            days={days}
            staff={data.staff}
            team={data.team}
            visits={data.visits}
            proposed={proposal?.result.visits ?? []}
            meetings={data.meetings}
            absencesByStaff={data.absencesByStaff}
            onOpenVisit={setOpenVisit}
          />
          <FamilyTargets families={data.families} visits={data.visits} proposed={proposal?.result.visits ?? []} />
        </>
      )}
      {absenceOpen && (
        <AbsenceDialog
          staff={data.staff}
          defaultDate={defaultDate}
          onClose={() => setAbsenceOpen(false)}
          onReplan={(w) => {
            setAbsenceOpen(false);
            go(w, true);
          }}
        />
      )}
      {openVisit && <VisitDialog visit={openVisit} onClose={() => setOpenVisit(undefined)} />}
    </section>
  );
}
