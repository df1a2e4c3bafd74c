import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../helpers/api.js';
import { admin, call, fieldPaths, tableItems, therapistOf, useTable } from '../helpers/api.js';
import { activeFamily, seedTeam } from '../helpers/fixtures.js';
import { dbFromEnv } from '../../shared/store/client.js';
import { queryPrefix } from '../../shared/store/query.js';

useTable();

const teams = ['net-a', 'net-b', 'net-c', 'net-x'] as const;
const started = { 'net-a': 5, 'net-b': 1, 'net-c': 4, 'net-x': 2 } as const;
const coordinators = {} as Record<(typeof teams)[number], Caller>;

beforeAll(async () => {
  for (const team of teams) {
    coordinators[team] = (await seedTeam(team)).coordinator;
    for (let i = 1; i <= started[team]; i++) await activeFamily(coordinators[team], `N${team.slice(4).toUpperCase()}-2026-0${i}`);
  }
});

type Team = { version: number; networkFigures: boolean };
const teamOf = async (team: string) => (await call('GET', `/teams/${team}`, { as: admin })).body as Team;
const optIn = async (team: string, as: Caller, participating = true) =>
  call('PUT', `/teams/${team}/network`, { as, body: { version: (await teamOf(team)).version, participating } });
const network = async (as: Caller, from = '2026-11', to = '2026-11') => call('GET', `/network/figures?from=${from}&to=${to}`, { as });
type View = {
  threshold: number;
  teams: { teamId: string; name: string; figures: Record<string, Record<string, unknown>> }[];
  total: Record<string, Record<string, unknown>>;
};

describe('network figures', () => {
  it('opt-in: the team’s coordinator or the admin, validated, version-checked, audited; others cannot', async () => {
    expect((await network(coordinators['net-a'])).status).toBe(403); // not participating yet

    const before = await tableItems();
    for (const body of [
      { version: 1, participating: 'yes' },
      { version: 1 },
      { version: 1, participating: true, teamName: 'x' },
      { version: 0, participating: true },
    ]) {
      const bad = await call('PUT', '/teams/net-a/network', { as: coordinators['net-a'], body });
      expect(bad.status).toBe(400);
      expect(fieldPaths(bad.body).length).toBeGreaterThan(0);
    }
    expect(
      fieldPaths((await call('PUT', '/teams/net-a/network', { as: coordinators['net-a'], body: { version: 1, participating: 'yes' } })).body),
    ).toEqual(['participating']);
    expect((await call('PUT', '/teams/net-a/network', { as: coordinators['net-b'], body: { version: 1, participating: true } })).status).toBe(404);
    expect((await call('PUT', '/teams/net-a/network', { as: therapistOf('net-a', 'anna'), body: { version: 1, participating: true } })).status).toBe(
      403,
    );
    expect((await call('PUT', '/teams/nowhere/network', { as: admin, body: { version: 1, participating: true } })).status).toBe(404);
    expect((await call('PUT', '/teams/net-a/network', { as: coordinators['net-a'], body: { version: 7, participating: true } })).status).toBe(409);
    expect(await tableItems()).toEqual(before);

    const opted = await optIn('net-a', coordinators['net-a']);
    expect(opted.status).toBe(200);
    expect(opted.body).toMatchObject({ id: 'net-a', networkFigures: true, version: 2 });
    expect((await optIn('net-b', admin)).status).toBe(200);
    expect((await optIn('net-c', coordinators['net-c'])).status).toBe(200);
    expect((await teamOf('net-x')).networkFigures).toBe(false);

    const audit = await queryPrefix(dbFromEnv(), 'TEAM#net-a#AUDIT', 'TEAM#net-a#');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      entity: 'team',
      action: 'network-opt-in',
      actor: 'coord',
      before: { networkFigures: false },
      after: { networkFigures: true, version: 2 },
    });
    // One registry item per participating team, written with the flag.
    expect((await queryPrefix(dbFromEnv(), 'NETWORK#FIGURES', 'TEAM#')).map((i) => i['teamId'])).toEqual(['net-a', 'net-b', 'net-c']);
  });

  it('one row per participating team and a total, suppressed; a team that has not opted in is invisible', async () => {
    const res = await network(coordinators['net-b']);
    expect(res.status).toBe(200);
    const view = res.body as View;
    expect(view.threshold).toBe(3);
    expect(view.teams.map((t) => t.teamId)).toEqual(['net-a', 'net-b', 'net-c']);
    // 5, 1 and 4 cases started: 1 is "≤3", and 4 is hidden with it so the total (10, without net-x's 2) cannot give it away.
    expect(view.teams.map((t) => t.figures['cases']?.['started'])).toEqual([5, '≤3', 'x']);
    expect(view.total['cases']?.['started']).toBe(10);
    expect(view.total['referrals']?.['received']).toBe(0); // referred in October
    const october = (await network(coordinators['net-b'], '2026-10', '2026-10')).body as View;
    expect(october.total['referrals']).toMatchObject({ received: 10, accepted: 10, bySource: { socialtjanst: 10, bup: 0 } });

    const text = JSON.stringify(view);
    expect(text).not.toMatch(/N[A-X]-2026|ageRange|"min"|"max"|net-x/);
    expect(text).not.toMatch(/"[a-z]+":[12](,|\})/); // no exact count 1 or 2 anywhere
    expect((await network(coordinators['net-x'])).status).toBe(403);
    expect((await network(therapistOf('net-a', 'anna'))).status).toBe(403);
  });

  it('the same period validation as /figures (400 with fields), and opting out makes a team invisible again', async () => {
    for (const q of [
      'from=2026-13&to=2026-12',
      'from=2026-11&to=2026-10',
      'from=2010-01&to=2026-12',
      'from=2026-01',
      'from=2026-01&to=2026-02&share=false',
      'from=1999-01&to=2026-01',
    ]) {
      const res = await call('GET', `/network/figures?${q}`, { as: coordinators['net-a'] });
      expect(res.status, q).toBe(400);
      expect(fieldPaths(res.body).length, q).toBeGreaterThan(0);
    }
    expect((await optIn('net-c', coordinators['net-c'], false)).status).toBe(200);
    expect((await teamOf('net-c')).networkFigures).toBe(false);
    expect((await network(coordinators['net-c'])).status).toBe(403);
    const view = (await network(coordinators['net-a'])).body as View;
    expect(view.teams.map((t) => t.teamId)).toEqual(['net-a', 'net-b']);
    expect(view.teams.map((t) => t.figures['cases']?.['started'])).toEqual(['x', '≤3']);
    expect(view.total['cases']?.['started']).toBe(6);
  });
});
