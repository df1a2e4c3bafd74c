import { describe, expect, it } from 'vitest';
import type { AbsenceRepairInput, AffectedVisit } from '../../../shared/domain/replan/absence-repair.js';
import { repairAbsence } from '../../../shared/domain/replan/absence-repair.js';
import type { WeekVisit } from '../../../shared/domain/replan/repair-week.js';
import { validatePlan } from '../../../shared/domain/planning/index.js';
import { PlanningProblem } from '../../../shared/schemas/planning.js';
import { absenceScenarioOf, busiestPairWeek } from '../../helpers/replan-scenario.js';

// 2026-W48: Monday 23 November. One family (maxSessionsPerDay 1) with a visit on Mon, Tue, Wed and Thu; anna is off sick on Tuesday.
const days = (weekdays: number[]) => weekdays.map((weekday) => ({ weekday, start: '09:00', end: '19:00' }));
const sick = (date: string) => ({ start: `${date}T00:00`, end: `${date}T23:59`, place: 'Kalmar', label: 'absence:sick' });

function problem(
  week: string,
  hours: Partial<Record<string, number[]>> = {},
  busy: Partial<Record<string, { start: string; end: string; place: string; label: string }[]>> = {},
): PlanningProblem {
  return PlanningProblem.parse({
    week,
    timeZone: 'Europe/Stockholm',
    slotMinutes: 15,
    holidays: [],
    travelMinutes: { Kalmar: { Kalmar: 10, Emmaboda: 45 }, Emmaboda: { Kalmar: 45, Emmaboda: 10 } },
    staff: (['anna:family_therapist', 'bo:individual_therapist', 'erik:family_therapist', 'lina:individual_therapist'] as const).map((s) => {
      const [id = '', role] = s.split(':');
      return { id, role, base: 'Kalmar', workingHours: days(hours[id] ?? [1, 2, 3, 4, 5]), busy: busy[id] ?? [], maxVisitsPerDay: 3 };
    }),
    families: [
      {
        id: 'TST-2026-01',
        place: 'Kalmar',
        familyTherapist: 'anna',
        individualTherapist: 'bo',
        sessions: [
          { kind: 'family', count: 2, minutes: 90 },
          { kind: 'individual', count: 2, minutes: 60 },
          { kind: 'joint', count: 1, minutes: 90 },
        ],
        minSessions: 4,
        windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '15:00', end: '19:00' })),
        maxSessionsPerDay: 1,
      },
      {
        id: 'TST-2026-02',
        place: 'Emmaboda',
        familyTherapist: 'erik',
        individualTherapist: 'bo',
        sessions: [
          { kind: 'family', count: 1, minutes: 60 },
          { kind: 'individual', count: 1, minutes: 60 },
        ],
        minSessions: 1,
        windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '15:00', end: '19:00' })),
        maxSessionsPerDay: 1,
      },
    ],
  });
}
const visit = (
  id: string,
  kind: WeekVisit['kind'],
  staff: string[],
  start: string,
  end: string,
  family = 'TST-2026-01',
  place = 'Kalmar',
): WeekVisit => ({ id, family, kind, staff, place, start, end });
const week = [
  visit('mon', 'family', ['anna'], '2026-11-23T15:00', '2026-11-23T16:30'),
  visit('wed', 'individual', ['bo'], '2026-11-25T15:00', '2026-11-25T16:00'),
  visit('thu', 'joint', ['anna', 'bo'], '2026-11-26T15:00', '2026-11-26T16:30'),
];
const tuesday: AffectedVisit = { ...visit('tue', 'family', ['anna'], '2026-11-24T15:00', '2026-11-24T16:30'), absent: ['anna'] };
const families: AbsenceRepairInput['families'] = new Map([
  ['TST-2026-01', { familyTherapist: 'anna', individualTherapist: 'bo', kinds: ['family', 'individual', 'joint'], maxSessionsPerDay: 1 }],
  ['TST-2026-02', { familyTherapist: 'erik', individualTherapist: 'bo', kinds: ['family', 'individual'], maxSessionsPerDay: 1 }],
]);
const input = (p: PlanningProblem, overrides: Partial<AbsenceRepairInput> = {}): AbsenceRepairInput => ({
  week: p,
  kept: week,
  movable: new Set(week.map((v) => v.id)),
  affected: [tuesday],
  families,
  ...overrides,
});
const only = (r: ReturnType<typeof repairAbsence>) => {
  const [d] = r.decisions;
  if (!d || r.decisions.length !== 1) throw new Error('one decision expected');
  return { ...d, chosen: d.options.find((o) => o.option === d.proposed) };
};

describe('repairAbsence', () => {
  it('moves the visit to the family’s free day when there is one', () => {
    const d = only(repairAbsence(input(problem('2026-W48', {}, { anna: [sick('2026-11-24')] }))));
    expect(d.proposed).toBe('move');
    expect(d.chosen).toMatchObject({ start: '2026-11-27T15:00', end: '2026-11-27T16:30', chain: [] });
  });

  it('shifts one other visit of the family to free a day when a single move is impossible (a chain)', () => {
    // anna does not work on Fridays: the free Friday is of no use to her, but bo's Wednesday visit can go there.
    const d = only(repairAbsence(input(problem('2026-W48', { anna: [1, 2, 3, 4] }, { anna: [sick('2026-11-24')] }))));
    expect(d.proposed).toBe('move');
    // A swap: bo's Wednesday visit goes to the Tuesday anna's visit leaves (bo is not absent), anna's to Wednesday.
    expect(d.chosen?.start?.slice(0, 10)).toBe('2026-11-25');
    expect(d.chosen?.chain).toEqual([{ visit: 'wed', start: expect.stringMatching(/^2026-11-24T/), end: expect.stringMatching(/^2026-11-24T/) }]);
  });

  it('catches up in the first days of next week when the week has no room, and says why the week had none', () => {
    const p = problem('2026-W48', { anna: [1, 2, 3, 4], bo: [1, 2, 3, 4] }, { anna: [sick('2026-11-24')] });
    const next = { problem: problem('2026-W49'), kept: [], days: '2026-11-30–2026-12-02' };
    // The other visits have begun or are done: nothing may shift (no chain).
    const r = repairAbsence(input(p, { next, movable: new Set() }));
    const d = only(r);
    expect(d.chosen).toMatchObject({ option: 'move', start: '2026-11-30T15:00' });
    expect(r.stats).toMatchObject({ moved: 1, movedToNextWeek: 1, chained: 0 });
  });

  it('has the partner cover it as their kind when nothing can move, naming the binding rule for the move', () => {
    const p = problem('2026-W48', { anna: [1, 2, 3, 4], bo: [1, 2, 3, 4] }, { anna: [sick('2026-11-24')] });
    const d = only(repairAbsence(input(p, { movable: new Set() })));
    expect(d.proposed).toBe('partner');
    expect(d.chosen).toMatchObject({ staff: ['bo'], kind: 'individual' });
    const move = d.options[0];
    expect(move?.possible).toBe(false);
    expect(move?.reason).toContain('anna absent Tue');
    expect(move?.reason).toContain('TST-2026-01 already has maxSessionsPerDay (1) visits on Mon, Wed, Thu');
    expect(move?.reason).toContain('anna does not work Fri');
  });

  it('falls back to a colleague of the same role (a continuity break), then to cancelling, each with the reason the better ones failed', () => {
    const boBusy = [visit('other', 'individual', ['bo'], '2026-11-24T15:15', '2026-11-24T16:15', 'TST-2026-02', 'Emmaboda')];
    const p = problem('2026-W48', { anna: [1, 2, 3, 4], bo: [1, 2, 3, 4] }, { anna: [sick('2026-11-24')] });
    const d = only(repairAbsence(input(p, { kept: [...week, ...boBusy], movable: new Set() })));
    expect(d.proposed).toBe('colleague');
    expect(d.options[1]?.reason).toBe('bo already has a visit (TST-2026-02, Emmaboda) 15:15–16:15');
    expect(d.chosen).toMatchObject({ staff: ['erik'], kind: 'family', continuityBreak: true });

    const erikAway = problem(
      '2026-W48',
      { anna: [1, 2, 3, 4], bo: [1, 2, 3, 4] },
      { anna: [sick('2026-11-24')], erik: [{ start: '2026-11-24T14:00', end: '2026-11-24T17:00', place: 'Kalmar', label: 'meeting:x' }] },
    );
    const c = only(repairAbsence(input(erikAway, { kept: [...week, ...boBusy], movable: new Set() })));
    expect(c.proposed).toBe('cancel');
    expect(c.options[2]?.reason).toBe('no other family therapist is free then: erik already has a meeting (Kalmar) 14:00–17:00');
  });

  it('never lets a move take the day of a visit that stays covered', () => {
    // anna is off on Tuesday, bo on Thursday: the joint visit stays on Thursday with anna alone, so anna's Tuesday visit
    // may not move to Thursday (one visit a day); it is covered by bo instead.
    const joint: AffectedVisit = { ...visit('thu', 'joint', ['anna', 'bo'], '2026-11-26T15:00', '2026-11-26T16:30'), absent: ['bo'] };
    const p = problem('2026-W48', { anna: [1, 2, 3, 4] }, { anna: [sick('2026-11-24')], bo: [sick('2026-11-26')] });
    const r = repairAbsence(input(p, { kept: week.filter((v) => v.id !== 'thu'), movable: new Set(), affected: [tuesday, joint] }));
    const byId = new Map(r.decisions.map((d) => [d.visit, d]));
    expect(byId.get('thu')).toMatchObject({ proposed: 'partner' });
    expect(byId.get('thu')?.options[1]).toMatchObject({ staff: ['anna'], kind: 'family' });
    expect(byId.get('tue')).toMatchObject({ proposed: 'partner' });
    expect(byId.get('tue')?.options[0]?.reason).toContain(
      'TST-2026-01 already has maxSessionsPerDay (1) visits on 2026-11-26 with the visits that stay',
    );
  });

  it('does not offer the partner when both of the pair are absent', () => {
    const joint: AffectedVisit = { ...visit('thu', 'joint', ['anna', 'bo'], '2026-11-26T15:00', '2026-11-26T16:30'), absent: ['anna', 'bo'] };
    const p = problem('2026-W48', {}, { anna: [sick('2026-11-26')], bo: [sick('2026-11-26')] });
    const d = only(repairAbsence(input(p, { kept: week.filter((v) => v.id !== 'thu'), movable: new Set(), affected: [joint] })));
    expect(d.options[1]).toEqual({ option: 'partner', possible: false, reason: "both of TST-2026-01's therapists (anna and bo) are absent" });
    expect(d.options[2]).toMatchObject({ possible: false, reason: "more than one of the visit's therapists is absent (anna and bo)" });
  });

  it('leaves a county week with two therapists off all week valid (rules 1–4 of §4), DST week included', () => {
    for (const options of [
      { scale: 'county' as const, seed: 1 },
      { scale: 'county' as const, seed: 4, week: '2026-W13' },
    ]) {
      const s = absenceScenarioOf(options, busiestPairWeek);
      const fams = new Map(
        s.problem.families.map((f) => [
          f.id,
          {
            familyTherapist: f.familyTherapist,
            individualTherapist: f.individualTherapist,
            kinds: f.sessions.filter((x) => x.count > 0).map((x) => x.kind),
            maxSessionsPerDay: f.maxSessionsPerDay,
          },
        ]),
      );
      const r = repairAbsence({
        week: s.withAbsence,
        kept: s.kept,
        movable: new Set(s.kept.map((v) => v.id)),
        affected: s.affected.map((v) => ({ ...v, absent: v.staff.filter((x) => s.staff.includes(x)) })),
        families: fams,
      });
      expect(r.decisions).toHaveLength(s.affected.length);
      const after = new Map(s.kept.map((v) => [v.id, { ...v }]));
      for (const d of r.decisions) {
        const v = s.affected.find((a) => a.id === d.visit);
        const o = d.options.find((x) => x.option === d.proposed);
        if (!v || !o) throw new Error('decision without its option');
        for (const c of o.chain ?? []) after.set(c.visit, { ...(after.get(c.visit) ?? v), start: c.start, end: c.end });
        if (d.proposed === 'move') after.set(v.id, { ...v, start: o.start ?? '', end: o.end ?? '' });
        if (d.proposed === 'partner' || d.proposed === 'colleague') after.set(v.id, { ...v, staff: o.staff ?? [], kind: o.kind ?? v.kind });
      }
      const visits = [...after.values()].map((v) => ({
        family: v.family,
        kind: v.kind,
        staff: [...v.staff],
        start: v.start,
        end: v.end,
        place: v.place,
      }));
      const broken = validatePlan(s.withAbsence, {
        week: s.problem.week,
        visits,
        shortfalls: [],
        stats: { sessionsRequested: 0, sessionsPlaced: visits.length, familiesBelowMinimum: 0, travelMinutes: 0 },
      });
      expect(broken.filter((b) => ['rule1', 'rule2', 'rule3', 'rule4'].includes(b.rule))).toEqual([]);
      expect(r.stats.coveredByPartner + r.stats.coveredByColleague).toBeGreaterThan(0);
    }
  });
});
