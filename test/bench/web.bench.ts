import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DateTime } from 'luxon';
import type { Page, Route } from 'playwright-core';
import { webSecurityHeaders } from '../../infra/web-headers.js';
import { loadOrCreateSigningKey } from '../../infra/local/dev-tokens.js';
import { createLocalOidc, oidcMountPath, webClientId, webScopes } from '../../infra/local/oidc.js';
import { createWebServer, ensureWebBuild, webDist } from '../../infra/local/web-server.js';
import { generateInstance, planWeek } from '../../shared/domain/planning/index.js';
import { PlanningProblem } from '../../shared/schemas/planning.js';
import { launchBrowser } from '../web/browser.js';
import { percentile, printTable } from './stats.js';

/**
 * The web app's figures (issue 21): the initial JavaScript (gzip), the week board of the 40-family county week
 * interactive after its data arrives (Chromium's performance timeline: the board's mark minus the responseEnd of the
 * last API response it waited for), and a page change with cached data (click to the board's mark). The API is
 * served from fixtures built by the planner on the generated county week, so the figures measure the page alone.
 * Runs: 10 each; medians and the spread. The page's CSP is bypassed here only so that playwright can poll the
 * performance timeline (its string predicates need eval); the app itself runs as served.
 */
const runs = Number(process.env['BENCH_WEB_RUNS'] ?? 10);
const api = 'http://api.bench';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

/** The county week as the API would answer it: 16 therapists, 40 families, the planner's visits for every week asked. */
function countyFixtures() {
  const problem = PlanningProblem.parse(generateInstance({ scale: 'county', seed: 1 }));
  const result = planWeek(problem);
  const monday = DateTime.fromISO(`${problem.week}-1`, { zone: 'Europe/Stockholm' });
  const staff = problem.staff.map((s, i) => ({
    teamId: 'bench',
    id: s.id,
    name: `Terapeut ${i + 1}`,
    role: s.role,
    base: s.base,
    email: `${s.id}@bench.example`,
    workingHours: s.workingHours,
    maxVisitsPerDay: s.maxVisitsPerDay ?? 3,
    notifications: { visitReminder: 'sms', dailyAgenda: 'email', changeNotice: 'sms' },
    active: true,
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  }));
  const families = problem.families.map((f) => ({
    teamId: 'bench',
    code: f.id,
    place: f.place,
    familyTherapist: f.familyTherapist,
    individualTherapist: f.individualTherapist,
    sessions: f.sessions,
    minSessions: f.minSessions,
    windows: f.windows,
    maxSessionsPerDay: f.maxSessionsPerDay ?? 1,
    referral: { source: 'bup', date: '2026-09-01' },
    ageAtStart: 15,
    treatmentWeeks: 16,
    status: 'active',
    treatmentStart: '2026-10-05',
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  }));
  const visitsOf = (week: string) => {
    const shift = DateTime.fromISO(`${week}-1`, { zone: 'Europe/Stockholm' }).diff(monday, 'days').days;
    const at = (s: string) => DateTime.fromISO(s, { zone: 'Europe/Stockholm' }).plus({ days: shift });
    return result.visits.map((v, i) => ({
      teamId: 'bench',
      id: `0000${String(i).padStart(4, '0')}-bench`,
      family: v.family,
      kind: v.kind,
      staff: v.staff,
      start: at(v.start).toUTC().toISO(),
      end: at(v.end).toUTC().toISO(),
      startLocal: at(v.start).toFormat("yyyy-MM-dd'T'HH:mm"),
      endLocal: at(v.end).toFormat("yyyy-MM-dd'T'HH:mm"),
      week,
      place: v.place,
      status: 'planned',
      version: 1,
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    }));
  };
  const team = {
    id: 'bench',
    name: 'Bench',
    zone: 'Europe/Stockholm',
    places: Object.keys(problem.travelMinutes),
    travelMinutes: problem.travelMinutes,
    holidayCalendar: { country: 'SE', extraDaysOff: [], workingDays: [] },
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
  return { staff, families, visitsOf, team, visitsPerWeek: result.visits.length };
}

async function fulfil(route: Route, fixtures: ReturnType<typeof countyFixtures>): Promise<void> {
  const url = new URL(route.request().url());
  const json = (body: unknown) =>
    route.fulfill({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify(body) });
  if (route.request().method() === 'OPTIONS')
    return route.fulfill({
      status: 204,
      headers: { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': '*' },
    });
  if (url.pathname === '/staff') return json({ staff: fixtures.staff });
  if (url.pathname === '/families') return json({ families: fixtures.families });
  if (url.pathname.startsWith('/teams/')) return json(fixtures.team);
  if (url.pathname === '/visits' && url.searchParams.has('staff')) {
    // A therapist's own fortnight and more: this week's and next week's visits of theirs.
    const staff = url.searchParams.get('staff') ?? '';
    const now = DateTime.now().setZone('Europe/Stockholm');
    const weeks = [0, 1].map((n) => now.plus({ weeks: n }).toFormat("kkkk-'W'WW"));
    return json({ visits: weeks.flatMap((w) => fixtures.visitsOf(w)).filter((v) => v.staff.includes(staff)) });
  }
  if (url.pathname === '/visits') return json({ visits: fixtures.visitsOf(url.searchParams.get('week') ?? '2026-W48') });
  if (/^\/staff\/[^/]+$/.test(url.pathname)) return json(fixtures.staff.find((s) => url.pathname.endsWith(`/${s.id}`)) ?? fixtures.staff[0]);
  if (url.pathname === '/meetings') return json({ meetings: [] });
  if (/^\/staff\/[^/]+\/absences$/.test(url.pathname)) return json({ absences: [] });
  if (url.pathname === '/reminders') return json({ reminders: [] });
  return route.fulfill({ status: 404, contentType: 'application/json', body: '{"message":"Not Found"}' });
}

/** Time from the last week response's end to the board's mark, for the week shown (evaluated in the page). */
async function boardAfterData(page: Page, week: string): Promise<number> {
  const marked = `performance.getEntriesByName('ikb:week-board').filter((m) => m.detail && m.detail.week === ${JSON.stringify(week)} && m.detail.visits > 0)`;
  await page.waitForFunction(`${marked}.length > 0`);
  return page.evaluate<number>(`(() => {
    const mark = ${marked}[0];
    const data = performance.getEntriesByType('resource').filter((r) => r.name.startsWith('${api}/') && r.responseEnd <= mark.startTime);
    return mark.startTime - Math.max(...data.map((r) => r.responseEnd));
  })()`);
}

export async function run(): Promise<void> {
  await ensureWebBuild();
  // The initial JavaScript: the entry script and what index.html preloads (route chunks load on demand).
  const html = readFileSync(join(webDist, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
  const sizes = initial.map((file) => {
    const bytes = readFileSync(join(webDist, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  printTable(
    'Initial JavaScript (issue 21 budget: ≤ 150 KB gzip)',
    ['file', 'KB raw', 'KB gzip'],
    [
      ...sizes.map((s) => [s.file, (s.raw / 1024).toFixed(1), (s.gzip / 1024).toFixed(1)]),
      ['total', (sizes.reduce((n, s) => n + s.raw, 0) / 1024).toFixed(1), (sizes.reduce((n, s) => n + s.gzip, 0) / 1024).toFixed(1)],
    ],
  );

  const fixtures = countyFixtures();
  const key = await loadOrCreateSigningKey(join(process.env['IKB_BENCH_DIR'] ?? '/tmp', 'ikb-bench-oidc-key.json'));
  const late: { oidc?: ReturnType<typeof createLocalOidc> } = {};
  const oidcServer = createServer((req, res) => late.oidc?.handle(req, res));
  const oidcPort = await listen(oidcServer);
  const issuer = `http://localhost:${oidcPort}${oidcMountPath}`;
  const web = createWebServer({
    config: () => ({ apiUrl: api, oidc: { authority: issuer, clientId: webClientId, scope: webScopes } }),
    headers: () => webSecurityHeaders({ api, auth: [`http://localhost:${oidcPort}`] }, { https: false }),
  });
  const webOrigin = `http://localhost:${await listen(web)}`;
  late.oidc = createLocalOidc({
    issuer,
    key,
    webOrigins: [webOrigin],
    accounts: async () => [
      { sub: 'bench', email: 'samordnare@bench.example', teamId: 'bench', staffId: 'samordnare', groups: ['coordinator'], enabled: true },
    ],
  });

  const browser = await launchBrowser();
  const page = await (
    await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'sv-SE', timezoneId: 'Europe/Stockholm', bypassCSP: true })
  ).newPage();
  await page.route(`${api}/**`, (route) => fulfil(route, fixtures));
  await page.goto(`${webOrigin}/veckan?v=2026-W48`);
  await page.getByRole('button', { name: /^Logga in som samordnare/ }).click();
  await page.waitForURL((u) => u.origin === webOrigin && !u.searchParams.has('code'));
  await boardAfterData(page, '2026-W48');

  const interactive: number[] = [];
  const pageChange: number[] = [];
  let week = '2026-W48';
  for (let i = 0; i < runs; i++) {
    // A week not seen yet: its visits are fetched, then the board renders (staff, team, families are cached).
    week = DateTime.fromISO(`${week}-1`).plus({ weeks: 1 }).toFormat("kkkk-'W'WW");
    await page.getByRole('button', { name: 'Nästa vecka →' }).click();
    interactive.push(await boardAfterData(page, week));
    // A page change with cached data: to Personal and back to the same week (the menu returns to it), click to the mark.
    await page.getByRole('link', { name: 'Personal' }).click();
    await page.getByRole('heading', { name: 'Personal', level: 1 }).waitFor();
    await page.evaluate(`performance.clearMarks('ikb:week-board')`);
    const clicked = await page.evaluate<number>(
      `(() => { const t = performance.now(); document.querySelector('nav a[href^="/veckan"]').click(); return t; })()`,
    );
    await page.waitForFunction(`performance.getEntriesByName('ikb:week-board').length > 0`);
    pageChange.push((await page.evaluate<number>(`performance.getEntriesByName('ikb:week-board')[0].startTime`)) - clicked);
  }
  const row = (name: string, values: number[], budget: number) => [
    name,
    values.length,
    percentile(values, 50).toFixed(1),
    Math.min(...values).toFixed(1),
    Math.max(...values).toFixed(1),
    budget,
  ];
  printTable(
    `The week board, county week (${fixtures.staff.length} staff, ${fixtures.families.length} families, ${fixtures.visitsPerWeek} visits), ms in Chromium`,
    ['measure', 'runs', 'median', 'min', 'max', 'budget'],
    [row('interactive after its data arrives', interactive, 200), row('page change with cached data (Personal → Veckan)', pageChange, 100)],
  );
  // The therapist's phone view (issue 22): a 390 px touch viewport with Chromium's CPU throttled ×4. Cold: a new
  // browser context (no HTTP cache, no service worker, nothing on the device) returning from sign-in, navigation start
  // to the first visit card on screen. Warm: Veckan → Idag with the schedule loaded.
  const therapist = fixtures.staff.find((st) => st.role === 'family_therapist')?.id ?? '';
  late.oidc = createLocalOidc({
    issuer,
    key,
    webOrigins: [webOrigin],
    accounts: async () => [
      { sub: 'bench-t', email: 'terapeut@bench.example', teamId: 'bench', staffId: therapist, groups: ['therapist'], enabled: true },
    ],
  });
  // The Idag page's first card (Veckan lists cards too: the heading tells the pages apart).
  const firstCard = `(() => { const seen = () => { if (document.querySelector('h1')?.textContent === 'Idag' && document.querySelector('.tlist li')) { window.__firstCard = performance.now(); return true; } return false; };
    if (!seen()) new MutationObserver((_m, o) => { if (seen()) o.disconnect(); }).observe(document, { childList: true, subtree: true }); })()`;
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'sv-SE',
      timezoneId: 'Europe/Stockholm',
      bypassCSP: true,
    });
    const tPage = await phone.newPage();
    await tPage.route(`${api}/**`, (route) => fulfil(route, fixtures));
    await tPage.addInitScript(`document.addEventListener('DOMContentLoaded', () => ${firstCard.replace(/\n/g, ' ')})`);
    await tPage.goto(`${webOrigin}/`);
    const cdp = await phone.newCDPSession(tPage);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await tPage.getByRole('button', { name: /^Logga in som / }).click();
    await tPage.waitForFunction('window.__firstCard !== undefined', undefined, { timeout: 60_000 });
    cold.push(await tPage.evaluate<number>('window.__firstCard'));
    await tPage.getByRole('link', { name: 'Veckan' }).click();
    await tPage.getByRole('heading', { name: 'Veckan', level: 1 }).waitFor();
    const clicked = await tPage.evaluate<number>(
      `(() => { window.__firstCard = undefined; const t = performance.now(); [...document.querySelectorAll('a')].find((a) => a.textContent === 'Idag').click(); ${firstCard.replace(/\n/g, ' ')}; return t; })()`,
    );
    await tPage.waitForFunction('window.__firstCard !== undefined');
    warm.push((await tPage.evaluate<number>('window.__firstCard')) - clicked);
    await phone.close();
  }
  printTable(
    `The therapist's day on a phone (390 px, CPU ×4), ${therapist}'s visits of the county week, ms in Chromium`,
    ['measure', 'runs', 'median', 'min', 'max', 'budget'],
    [row('cold: navigation to the first visit card (after sign-in)', cold, 1500), row('warm: Veckan → Idag, schedule loaded', warm, 300)],
  );
  await browser.close();
  web.close();
  oidcServer.close();
}
