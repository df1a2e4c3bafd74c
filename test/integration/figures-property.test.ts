import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { ApiResponse, Caller } from '../helpers/api.js';
import { admin, call, coordinatorOf, useTable } from '../helpers/api.js';
import { staffBody, teamBody } from '../helpers/fixtures.js';
import { oracleFigures } from '../helpers/figures-oracle.js';
import type { RawFamily, RawInquiry, RawVisit } from '../helpers/figures-oracle.js';
import { dbFromEnv } from '../../shared/store/client.js';
import { foldCaseFigures } from '../../shared/store/figures.js';
import { queryPrefix, withoutKeys } from '../../shared/store/query.js';
import { Family } from '../../shared/schemas/family.js';
import { CancelReason, Visit } from '../../shared/schemas/visit.js';
import { Inquiry } from '../../shared/schemas/inquiry.js';

/**
 * Issue 11 §3: a random sequence of changes through the real handlers on DynamoDB Local, then GET /figures for a few
 * periods against §9 recomputed independently from the raw records (test/helpers/figures-oracle.ts). A fixed seed keeps
 * `npm test` repeatable; IKB_FIGURES_PROPERTY_RUNS=200 (and IKB_FIGURES_PROPERTY_SEED) searches further.
 */
useTable();

const runs = Number(process.env.IKB_FIGURES_PROPERTY_RUNS ?? 6);
const seed = Number(process.env.IKB_FIGURES_PROPERTY_SEED ?? 20261123);
const today = '2026-11-23'; // the suite's fixed clock (test/setup-env.ts)
const places = teamBody('x').places;
const pairs = 6;
const periods: [string, string][] = [
  ['2026-06', '2026-12'],
  ['2026-08', '2026-08'],
  ['2026-09', '2026-10'],
  ['2026-11', '2026-11'],
  ['2026-11', '2027-02'],
  ['2025-01', '2026-12'],
  ['2026-12', '2026-12'],
];

const pick = <T>(xs: readonly T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);
const day = (from: string, offset: number) => DateTime.fromISO(from).plus({ days: offset }).toFormat('yyyy-MM-dd');
const outcomesArb = fc.record(
  {
    schoolAttendance: fc.constantFrom('increased', 'started', 'unchanged', 'decreased', 'unknown'),
    kaa: fc.constantFrom('yes', 'no'),
    continuedCare: fc.constantFrom('bup', 'socialtjanst', 'both', 'none'),
    livingAtHome: fc.constantFrom('yes', 'no', 'unknown'),
    mentalHealth: fc.constantFrom('better', 'unchanged', 'worse'),
    symptoms: fc.constantFrom('better', 'unchanged', 'worse', 'unknown'),
  },
  { requiredKeys: [] },
);
const completionType = fc.constantFrom('as_planned', 'ended_early_family', 'ended_early_team', 'moved', 'other');
const i = fc.nat(50);

const op = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('create' as const),
      place: fc.nat(3),
      source: fc.constantFrom('socialtjanst', 'bup'),
      referral: fc.nat(160),
      gender: fc.constantFrom('girl', 'boy', 'other', undefined),
      age: fc.integer({ min: 12, max: 18 }),
      minSessions: fc.nat(5),
    }),
  },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('accept' as const), i }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('decline' as const),
      i,
      reason: fc.constantFrom('outside_target_group', 'family_declined', 'other_care_more_suitable', 'no_capacity', 'other'),
    }),
  },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('start' as const), i, start: fc.nat(130) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('complete' as const),
      i,
      after: fc.nat(120),
      type: completionType,
      outcomes: fc.option(outcomesArb, { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('correct' as const),
      i,
      after: fc.option(fc.nat(120), { nil: undefined }),
      type: fc.option(completionType, { nil: undefined }),
      outcomes: fc.option(outcomesArb, { nil: undefined }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('edit' as const),
      i,
      place: fc.nat(3),
      age: fc.integer({ min: 12, max: 18 }),
      minSessions: fc.nat(5),
      referral: fc.option(fc.nat(160), { nil: undefined }),
    }),
  },
  {
    weight: 12,
    arbitrary: fc.record({ op: fc.constant('book' as const), i, day: fc.nat(115), kind: fc.constantFrom('family', 'individual', 'joint') }),
  },
  { weight: 10, arbitrary: fc.record({ op: fc.constant('outcome' as const), v: i, status: fc.constantFrom('done', 'done', 'done', 'no_show') }) },
  // Every reason the API takes (the schema's own list, so a new one is generated too), often enough that each is met.
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('cancel' as const),
      v: i,
      by: fc.constantFrom('family', 'team'),
      reason: fc.constantFrom(...CancelReason.options),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('move' as const), v: i, day: fc.nat(115) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('inquiry' as const),
      day: fc.nat(200),
      kind: fc.constantFrom('inquiry', 'consultation', 'information'),
      channel: fc.constantFrom('in_passing', 'phone', 'email'),
      source: fc.constantFrom('socialtjanst', 'bup', 'school', 'other'),
      place: fc.nat(3),
      outcome: fc.constantFrom('referral_expected', 'advice_given', 'not_target_group', 'other'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('correctInquiry' as const),
      j: i,
      day: fc.nat(200),
      kind: fc.constantFrom('inquiry', 'consultation', 'information'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deleteInquiry' as const), j: i }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('tally' as const),
      i,
      concerns: fc.subarray(['self_harm', 'drugs', 'parental_conflict', 'low_school_attendance']),
      diagnoses: fc.subarray(['adhd', 'ocd', 'gad']),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('fold' as const), i }) },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

let teamCount = 0;
const coverage: Record<string, number> = {};
const refused: Record<string, number> = {};

async function runSequence(ops: Op[]): Promise<void> {
  const team = `prop-${++teamCount}`;
  expect((await call('POST', '/teams', { as: admin, body: teamBody(team) })).status).toBe(201);
  const coordinator: Caller = coordinatorOf(team);
  for (let p = 1; p <= pairs; p++) {
    for (const [id, role] of [
      [`ft${p}`, 'family_therapist'],
      [`it${p}`, 'individual_therapist'],
    ] as const)
      expect((await call('POST', '/staff', { as: coordinator, body: staffBody(id, role) })).status).toBe(201);
  }
  const as = { as: coordinator };
  const codes: string[] = [];
  const visits: string[] = [];
  const inquiries: string[] = [];
  const tallies = new Map<string, Record<string, number>>();
  const folded = new Set<string>();
  const planned = new Set<string>();
  const family = async (code: string) =>
    (await call('GET', `/families/${code}`, as)).body as { version: number; status: string; treatmentStart?: string; referral: { date: string } };
  const visitVersion = async (id: string) => ((await call('GET', `/visits/${id}`, as)).body as { version: number }).version;
  const inquiryVersion = async (id: string) =>
    ((await call('GET', '/inquiries', as)).body as { inquiries: { id: string; version: number }[] }).inquiries.find((x) => x.id === id)?.version ?? 1;
  const record = (name: string, res: ApiResponse) => {
    expect(res.status, `${name}: ${res.text}`).toBeLessThan(500);
    if (res.status < 300) coverage[name] = (coverage[name] ?? 0) + 1;
    else refused[`${name} ${res.status}`] = (refused[`${name} ${res.status}`] ?? 0) + 1;
    if (process.env.IKB_FIGURES_PROPERTY_DEBUG && res.status >= 300) console.info(name, res.status, res.text.slice(0, 200));
    return res;
  };

  // Each change picks its case among those it applies to (by the status last seen), so that chains
  // referral → acceptance → start → visits → completion → correction → folding really happen.
  const status = new Map<string, string>();
  const wants: Partial<Record<Op['op'], readonly string[]>> = {
    accept: ['referred'],
    decline: ['referred', 'accepted'],
    start: ['accepted'],
    complete: ['active'],
    correct: ['completed'],
    book: ['active', 'active', 'active', 'completed'],
    tally: ['accepted', 'active', 'completed'],
    fold: ['completed', 'declined'],
  };
  for (const o of ops) {
    const eligible = codes.filter((c) => !folded.has(c) && (wants[o.op]?.includes(status.get(c) ?? '') ?? true));
    const code = 'i' in o ? pick(eligible, o.i) : undefined;
    switch (o.op) {
      case 'create': {
        if (codes.length >= pairs) break;
        const newCode = `PRP-2026-${String(codes.length + 1).padStart(2, '0')}`;
        const pair = codes.length + 1;
        const res = record(
          'create',
          await call('POST', '/families', {
            ...as,
            body: {
              code: newCode,
              place: places[o.place],
              referral: { source: o.source, date: day('2026-06-01', o.referral) },
              ageAtStart: o.age,
              ...(o.gender ? { gender: o.gender } : {}),
              familyTherapist: `ft${pair}`,
              individualTherapist: `it${pair}`,
              sessions: [
                { kind: 'family', count: 2, minutes: 60 },
                { kind: 'individual', count: 2, minutes: 60 },
                { kind: 'joint', count: 1, minutes: 60 },
              ],
              minSessions: o.minSessions,
              windows: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '21:00' })),
            },
          }),
        );
        if (res.status === 201) {
          codes.push(newCode);
          status.set(newCode, 'referred');
        }
        break;
      }
      case 'accept':
      case 'decline':
      case 'start':
      case 'complete': {
        if (!code || folded.has(code)) break;
        const f = await family(code);
        const body: Record<string, unknown> = {
          version: f.version,
          to: { accept: 'accepted', decline: 'declined', start: 'active', complete: 'completed' }[o.op],
        };
        if (o.op === 'decline') body['reason'] = o.reason;
        if (o.op === 'start') body['startDate'] = day('2026-07-20', o.start);
        if (o.op === 'complete')
          Object.assign(body, {
            completionType: o.type,
            endDate: [day(f.treatmentStart ?? today, o.after), today].sort()[0],
            ...(o.outcomes ? { outcomes: o.outcomes } : {}),
          });
        const res = record(o.op, await call('POST', `/families/${code}/status`, { ...as, body }));
        if (res.status === 200) status.set(code, (res.body as { status: string }).status);
        break;
      }
      case 'correct': {
        if (!code || folded.has(code)) break;
        const f = await family(code);
        const body = {
          version: f.version,
          ...(o.after !== undefined ? { endDate: [day(f.treatmentStart ?? today, o.after), today].sort()[0] } : {}),
          ...(o.type ? { completionType: o.type } : {}),
          ...(o.outcomes ? { outcomes: o.outcomes } : {}),
        };
        record('correct', await call('PUT', `/families/${code}/completion`, { ...as, body }));
        break;
      }
      case 'edit': {
        if (!code || folded.has(code)) break;
        const f = await family(code);
        const body = {
          version: f.version,
          place: places[o.place],
          ageAtStart: o.age,
          minSessions: o.minSessions,
          ...(o.referral !== undefined ? { referral: { source: 'bup', date: day('2026-06-01', o.referral) } } : {}),
        };
        record('edit', await call('PATCH', `/families/${code}`, { ...as, body }));
        break;
      }
      case 'book': {
        if (!code || folded.has(code)) break;
        const f = await family(code);
        if (!f.treatmentStart) break;
        // Mostly in the past (so the visit can be marked done), some up to two weeks ahead.
        const span = Math.max(1, DateTime.fromISO(today).diff(DateTime.fromISO(f.treatmentStart), 'days').days + 14);
        const d = day(f.treatmentStart, o.day % span);
        const res = record(
          'book',
          await call('POST', '/visits', { ...as, body: { family: code, kind: o.kind, start: `${d}T16:00`, end: `${d}T17:00` } }),
        );
        if (res.status === 201) {
          visits.push((res.body as { id: string }).id);
          planned.add((res.body as { id: string }).id);
        }
        break;
      }
      case 'outcome':
      case 'cancel':
      case 'move': {
        const id = pick(
          visits.filter((v) => planned.has(v)),
          o.v,
        );
        if (!id) break;
        const visit = (await call('GET', `/visits/${id}`, as)).body as { family: string; startLocal: string };
        if (folded.has(visit.family)) break;
        const version = await visitVersion(id);
        if (
          o.op === 'outcome' &&
          record('outcome', await call('POST', `/visits/${id}/outcome`, { ...as, body: { version, status: o.status } })).status === 200
        )
          planned.delete(id);
        if (
          o.op === 'cancel' &&
          record('cancel', await call('POST', `/visits/${id}/cancel`, { ...as, body: { version, by: o.by, reason: o.reason } })).status === 200
        ) {
          planned.delete(id);
          coverage[`cancel:${o.reason}`] = (coverage[`cancel:${o.reason}`] ?? 0) + 1;
        }
        if (o.op === 'move') {
          const f = await family(visit.family);
          const d = day(f.treatmentStart ?? today, o.day);
          record('move', await call('PATCH', `/visits/${id}`, { ...as, body: { version, start: `${d}T18:00`, end: `${d}T19:00` } }));
        }
        break;
      }
      case 'inquiry': {
        const res = record(
          'inquiry',
          await call('POST', '/inquiries', {
            ...as,
            body: {
              date: day('2026-05-01', o.day),
              kind: o.kind,
              channel: o.channel,
              source: o.source,
              municipality: places[o.place],
              outcome: o.outcome,
            },
          }),
        );
        if (res.status === 201) inquiries.push((res.body as { id: string }).id);
        break;
      }
      case 'correctInquiry':
      case 'deleteInquiry': {
        const id = pick(inquiries, o.j);
        if (!id) break;
        const version = await inquiryVersion(id);
        if (o.op === 'correctInquiry')
          record(
            'correctInquiry',
            await call('PATCH', `/inquiries/${id}`, { ...as, body: { version, date: day('2026-05-01', o.day), kind: o.kind } }),
          );
        else if (record('deleteInquiry', await call('DELETE', `/inquiries/${id}?version=${version}`, as)).status === 204)
          inquiries.splice(inquiries.indexOf(id), 1);
        break;
      }
      case 'tally': {
        if (!code || folded.has(code)) break;
        const f = await family(code);
        const res = record(
          'tally',
          await call('POST', `/families/${code}/tally`, { ...as, body: { version: f.version, concerns: o.concerns, diagnoses: o.diagnoses } }),
        );
        if (res.status === 200) {
          const year = (f.treatmentStart ?? f.referral.date).slice(0, 4);
          const t = tallies.get(year) ?? { cases: 0 };
          t['cases'] = (t['cases'] ?? 0) + 1;
          for (const c of o.concerns) t[`concern:${c}`] = (t[`concern:${c}`] ?? 0) + 1;
          for (const d of o.diagnoses) t[`diagnosis:${d}`] = (t[`diagnosis:${d}`] ?? 0) + 1;
          tallies.set(year, t);
        }
        break;
      }
      case 'fold': {
        if (!code || folded.has(code)) break;
        const f = await family(code);
        if (f.status !== 'completed' && f.status !== 'declined') break;
        expect(await foldCaseFigures(dbFromEnv(), team, code, today)).toBe('folded');
        folded.add(code);
        coverage['fold'] = (coverage['fold'] ?? 0) + 1;
        break;
      }
    }
  }

  // The raw records, read straight from the table.
  const db = dbFromEnv();
  const families = (await queryPrefix(db, `TEAM#${team}`, 'FAMILY#')).map((item) => Family.parse(withoutKeys(item)) as RawFamily);
  const rawVisits = (await queryPrefix(db, `TEAM#${team}`, 'VISIT#')).map((item) => Visit.parse(withoutKeys(item)) as RawVisit);
  const rawInquiries = (await queryPrefix(db, `TEAM#${team}`, 'FIGINQ#')).map((item) => Inquiry.parse(withoutKeys(item)) as RawInquiry);
  for (const [from, to] of periods) {
    const res = await call('GET', `/figures?from=${from}&to=${to}`, as);
    expect(res.status).toBe(200);
    const { tallies: gotTallies, ...got } = res.body as { tallies: Record<string, unknown> };
    expect(got, `figures ${from}..${to}`).toEqual(oracleFigures(families, rawVisits, rawInquiries, { from, to }, today, places));
    for (const [year, counters] of Object.entries(gotTallies)) expect(counters, `tally ${year}`).toEqual(tallies.get(year) ?? { cases: 0 });
  }
}

/**
 * A sequence run before the random ones: one case, eight weekday visits, each cancelled with another reason, so
 * every reason reaches the rollup on every run (random sequences cancel only a few visits each).
 */
const everyCancelReason: Op[] = [
  { op: 'create', place: 0, source: 'bup', referral: 10, gender: 'girl', age: 15, minSessions: 4 },
  { op: 'accept', i: 0 },
  { op: 'start', i: 0, start: 100 }, // Wednesday 28 October 2026
  ...[0, 1, 2, 5, 6, 7, 8, 9].map((day): Op => ({ op: 'book', i: 0, day, kind: 'family' })),
  ...CancelReason.options.map((reason, n): Op => ({ op: 'cancel', v: 0, by: n % 2 ? 'family' : 'team', reason })),
];

describe('rollup property: the figures equal §9 recomputed from the raw records', () => {
  it(`after random sequences of changes (${runs} runs, seed ${seed})`, async () => {
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 60, maxLength: 100, size: 'max' }), runSequence), {
      seed,
      numRuns: runs,
      endOnFailure: false,
      examples: [[everyCancelReason]],
    });
    console.info('figures property: successful changes', JSON.stringify(coverage), 'refused (4xx)', JSON.stringify(refused));
    // The sequences really exercised the changes (a property that never books or folds proves little).
    for (const name of ['create', 'accept', 'decline', 'start', 'complete', 'correct', 'book', 'outcome', 'cancel', 'inquiry', 'tally', 'fold'])
      expect(coverage[name] ?? 0, name).toBeGreaterThan(0);
    // And every cancel reason: a rollup that miscounts one reason is caught only if that reason is ever given.
    for (const reason of CancelReason.options) expect(coverage[`cancel:${reason}`] ?? 0, `cancel:${reason}`).toBeGreaterThan(0);
  }, 300_000);
});
