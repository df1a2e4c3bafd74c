import { useQueryClient } from '@tanstack/react-query';
import { Suspense, lazy, useEffect, useMemo, useState } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { useApp } from '../../app-context';
import { usePageTitle } from '../../lib/page-title';
import { daysOf, isoDate, isoWeekOf, longDay, local, now, shiftWeek, weekLabel } from '../../lib/time';
import { Dialog } from '../../ui/dialog';
import type { QueuedAction, ScheduleSnapshot } from './device-store';
import { clearDevice, loadQueue, loadSnapshot } from './device-store';
import { discard, flush, recordAgain, undo, useOutbox } from './outbox';
import { hasStarted, scheduleKey, useSchedule } from './schedule';
import { ItemCard, travelById } from './schedule-list';
import { SessionContext, useSession } from './session';
import type { TherapistSession } from './session';

import './therapist.css';

const VisitPage = lazy(() => import('./visit-page'));
const AbsencePage = lazy(() => import('./absence-page'));
const CalendarPage = lazy(() => import('./calendar-page'));
const RemindersPage = lazy(() => import('./reminders-page'));

/** The therapist's own view (SPEC §11): today and this week, recording visits, absence, calendar, reminders. */
export default function TherapistApp() {
  const { api, person, signOut } = useApp();
  const session = useMemo<TherapistSession>(
    () => ({
      api,
      staffId: person.staffId ?? '',
      teamId: person.teamId ?? '',
      signIn: () => window.location.reload(),
      signOut: () => void clearDevice().finally(signOut),
    }),
    [api, person.staffId, person.teamId, signOut],
  );
  // Another person signed in on this device: what it holds is theirs (schedule and unsent recordings), never sent as
  // this person's; clear it before anything is shown or sent.
  const [checked, setChecked] = useState(false);
  useEffect(() => {
    void loadSnapshot()
      .then(async (s) => {
        const queued = await loadQueue();
        if ((s && s.staffId !== person.staffId) || queued.some((q) => q.staffId !== person.staffId)) await clearDevice();
      })
      .catch(() => undefined)
      .finally(() => setChecked(true));
  }, [person.staffId]);
  return checked ? <TherapistView session={session} /> : null;
}

/** The view itself, signed in or started from the device alone (offline-start.tsx). */
export function TherapistView(props: { session: TherapistSession }) {
  return (
    <SessionContext.Provider value={props.session}>
      <Shell />
    </SessionContext.Provider>
  );
}

function NavLink(props: { href: string; children: string; also?: string[] }) {
  const [location] = useLocation();
  const current =
    props.href === '/'
      ? location === '/' || location.startsWith('/besok/') || location.startsWith('/mote/')
      : [props.href, ...(props.also ?? [])].some((h) => location.startsWith(h));
  return (
    <Link href={props.href} aria-current={current ? 'page' : undefined}>
      {props.children}
    </Link>
  );
}

/** Sends the outbox when it can: at start, every 15 s, when the network returns, after each recording's undo window. */
function useOutboxSender() {
  const { api, staffId } = useSession();
  const queryClient = useQueryClient();
  const { queue } = useOutbox();
  const nextDue = queue
    .filter((q) => q.state === 'waiting')
    .map((q) => Date.parse(q.sendAfter))
    .sort()[0];
  useEffect(() => {
    if (!api) return;
    let stopped = false;
    let retry: number | undefined;
    const send = () => {
      if (stopped || !navigator.onLine) return;
      void flush(api).then((r) => {
        if (r === 'sent') void queryClient.invalidateQueries({ queryKey: scheduleKey(staffId) });
        // A request that failed on the way (a lost answer, a flaky signal): try again soon with the same key.
        if (r === 'offline' && navigator.onLine && retry === undefined) retry = window.setTimeout(() => ((retry = undefined), send()), 3_000);
      });
    };
    send();
    const timer = window.setInterval(send, 15_000);
    const due = nextDue !== undefined ? window.setTimeout(send, Math.max(0, nextDue - Date.now()) + 50) : undefined;
    window.addEventListener('online', send);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      if (due !== undefined) window.clearTimeout(due);
      if (retry !== undefined) window.clearTimeout(retry);
      window.removeEventListener('online', send);
    };
  }, [api, queryClient, staffId, nextDue]);
}

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

function SignOut() {
  const { signOut } = useSession();
  const { queue } = useOutbox();
  const [asking, setAsking] = useState(false);
  const unsent = queue.length;
  return (
    <>
      <button type="button" className="ghost" onClick={() => (unsent > 0 ? setAsking(true) : signOut())}>
        Logga ut
      </button>
      {asking && (
        <Dialog title="Logga ut?" onClose={() => setAsking(false)}>
          <p>
            {unsent === 1 ? 'En registrering' : `${unsent} registreringar`} har inte skickats. Loggar du ut nu raderas {unsent === 1 ? 'den' : 'de'}{' '}
            från telefonen och når aldrig servern.
          </p>
          <div className="actions">
            <button type="button" className="danger" onClick={signOut}>
              Logga ut och radera
            </button>
            <button type="button" className="secondary" onClick={() => setAsking(false)}>
              Avbryt
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

function Shell() {
  const session = useSession();
  useOutboxSender();
  const online = useOnline();
  const { snapshot, isLive } = useSchedule(session.api, session.staffId, session.teamId);
  return (
    <>
      <a className="skip" href="#main">
        Hoppa till innehållet
      </a>
      <header className="topbar therapist">
        <span className="brand">IKB Planner</span>
        <span className="liveness" role="status">
          {isLive
            ? 'Aktuellt'
            : snapshot
              ? `Per ${local(snapshot.loadedAt).toFormat('HH:mm')}${local(snapshot.loadedAt).hasSame(now(), 'day') ? '' : ` ${local(snapshot.loadedAt).toFormat('d/M')}`}`
              : 'Ingen anslutning'}
        </span>
        <SignOut />
        <nav aria-label="Meny" className="tabs">
          <NavLink href="/">Idag</NavLink>
          <NavLink href="/veckan">Veckan</NavLink>
          <NavLink href="/franvaro">Frånvaro</NavLink>
          <NavLink href="/mer" also={['/kalender', '/paminnelser']}>
            Mer
          </NavLink>
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="therapist-main">
        {!session.api && (
          <div className="warning" role="status">
            <p>
              Du är inte inloggad (ingen anslutning när appen startade). Schemat visas som det var per{' '}
              {snapshot ? local(snapshot.loadedAt).toFormat('d/M HH:mm') : '–'}; det du registrerar sparas på telefonen och skickas när du loggat in.
            </p>
            <button type="button" onClick={session.signIn} disabled={!online}>
              {online ? 'Logga in och skicka' : 'Logga in (väntar på nät)'}
            </button>
          </div>
        )}
        <OutboxPanel />
        <Suspense fallback={<p className="loading">Laddar…</p>}>
          <Switch>
            <Route path="/">
              <TodayPage snapshot={snapshot} />
            </Route>
            <Route path="/veckan">
              <WeekPage snapshot={snapshot} />
            </Route>
            <Route path="/besok/:id">{(params) => <VisitPage key={params.id} id={params.id} snapshot={snapshot} />}</Route>
            <Route path="/mote/:id">{(params) => <VisitPage key={params.id} id={params.id} snapshot={snapshot} />}</Route>
            <Route path="/franvaro">
              <AbsencePage />
            </Route>
            <Route path="/mer">
              <SettingsPage />
            </Route>
            <Route path="/kalender">
              <CalendarPage />
            </Route>
            <Route path="/paminnelser">
              <RemindersPage />
            </Route>
            <Route>
              <TodayPage snapshot={snapshot} />
            </Route>
          </Switch>
        </Suspense>
      </main>
    </>
  );
}

const actionLabel = (q: QueuedAction) => (q.action.type === 'outcome' ? (q.action.status === 'done' ? 'Genomfört' : 'Uteblev') : 'Avbokat');

/** What is recorded but not on the server yet: waiting (with Ångra during its window), and conflicts to decide. */
function OutboxPanel() {
  const { queue, sent } = useOutbox();
  const [tick, setTick] = useState(0);
  const [late, setLate] = useState<string>();
  const inWindow = queue.filter((q) => q.state === 'waiting' && Date.parse(q.sendAfter) > Date.now());
  useEffect(() => {
    if (inWindow.length === 0) return;
    const t = window.setTimeout(() => setTick((n) => n + 1), 1000);
    return () => window.clearTimeout(t);
  }, [inWindow.length, tick]);
  const waiting = queue.filter((q) => q.state === 'waiting' && Date.parse(q.sendAfter) <= Date.now());
  const problems = queue.filter((q) => q.state !== 'waiting');
  const lastSent = [...sent].sort((a, b) => b.sentAt.localeCompare(a.sentAt))[0];
  const recentlySent = lastSent && Date.now() - Date.parse(lastSent.sentAt) < 60_000 ? lastSent : undefined;
  if (queue.length === 0 && !recentlySent && !late) return null;
  return (
    <section className="outbox" aria-label="Registreringar">
      {inWindow.map((q) => (
        <div key={q.key} className="toast" role="status">
          <span>
            {actionLabel(q)}: {q.family} {local(q.startLocal).toFormat('HH:mm')} – skickas om{' '}
            {Math.max(1, Math.ceil((Date.parse(q.sendAfter) - Date.now()) / 1000))} s
          </span>
          <button type="button" className="secondary" onClick={() => void undo(q.key).then((ok) => setLate(ok ? undefined : q.key))}>
            Ångra
          </button>
        </div>
      ))}
      {late && (
        <p className="warning" role="alert">
          Det hann skickas och kan inte ångras här. Är det fel, säg till samordnaren.{' '}
          <button type="button" className="ghost" onClick={() => setLate(undefined)}>
            OK
          </button>
        </p>
      )}
      {waiting.length > 0 && (
        <p className="warning" role="status">
          {waiting.length === 1 ? 'En registrering' : `${waiting.length} registreringar`} sparad på telefonen, skickas när det finns nät och du är
          inloggad.
        </p>
      )}
      {problems.map((q) => (
        <div key={q.key} className="alert" role="alert">
          <p>
            <strong>
              {actionLabel(q)} för {q.family} {local(q.startLocal).toFormat('ccc d/M HH:mm')}
            </strong>{' '}
            {q.state === 'conflict' ? 'krockade: ' : 'togs inte emot: '}
            {q.problem}
          </p>
          <div className="actions">
            {q.state === 'conflict' && q.current?.status === 'planned' && (
              <button type="button" onClick={() => void recordAgain(q, q.current?.version ?? q.version)}>
                Registrera ändå
              </button>
            )}
            <button type="button" className="secondary" onClick={() => void discard(q.key)}>
              Släng registreringen
            </button>
          </div>
        </div>
      ))}
      {recentlySent && queue.length === 0 && (
        <p className="notice" role="status">
          Skickat {local(recentlySent.sentAt).toFormat('HH:mm')} – servern har det (kan inte ångras här; fel rättas av samordnaren).
        </p>
      )}
    </section>
  );
}

function Empty(props: { children: string }) {
  return <p className="muted empty">{props.children}</p>;
}

function TodayPage(props: { snapshot: ScheduleSnapshot | undefined }) {
  usePageTitle('Idag');
  const { staffId } = useSession();
  const { queue } = useOutbox();
  const { snapshot } = props;
  const today = isoDate(now());
  const pending = (id: string) => queue.find((q) => q.visitId === id);
  if (!snapshot)
    return (
      <section>
        <h1>Idag</h1>
        <p className="loading" role="status">
          Laddar schemat…
        </p>
      </section>
    );
  const travel = travelById(snapshot);
  const todays = snapshot.items.filter((i) => i.startLocal.slice(0, 10) === today);
  const upcoming = todays.filter(
    (i) =>
      !hasStarted(i) ||
      (i.type === 'meeting' && local(i.endLocal) > now()) ||
      (i.type === 'visit' && local(i.endLocal) > now() && i.status === 'planned'),
  );
  const next = upcoming.find((i) => i.status === 'planned');
  const later = upcoming.filter((i) => i !== next);
  // Visits that have started and still need an outcome (today's and earlier ones in the loaded range).
  const toRecord = snapshot.items.filter(
    (i) => i.type === 'visit' && i.status === 'planned' && hasStarted(i) && !upcoming.includes(i) && i.startLocal.slice(0, 10) <= today,
  );
  const recorded = todays.filter((i) => !upcoming.includes(i) && !toRecord.includes(i));
  const card = (i: (typeof todays)[number], extra: { next?: boolean; showDay?: boolean } = {}) => (
    <ItemCard key={i.id} item={i} me={staffId} travel={travel.get(i.id)} pending={pending(i.id)} {...extra} />
  );
  return (
    <section>
      <h1>Idag</h1>
      <p className="muted">{longDay(now())}</p>
      {next ? (
        <>
          <h2>Nästa</h2>
          <ul className="tlist">{card(next, { next: true })}</ul>
        </>
      ) : (
        <Empty>Inget mer inbokat idag.</Empty>
      )}
      {later.length > 0 && (
        <>
          <h2>Senare idag</h2>
          <ul className="tlist">{later.map((i) => card(i))}</ul>
        </>
      )}
      {toRecord.length > 0 && (
        <>
          <h2>Att registrera</h2>
          <ul className="tlist">{toRecord.map((i) => card(i, { showDay: i.startLocal.slice(0, 10) !== today }))}</ul>
        </>
      )}
      {recorded.length > 0 && (
        <>
          <h2>Tidigare idag</h2>
          <ul className="tlist">{recorded.map((i) => card(i))}</ul>
        </>
      )}
    </section>
  );
}

function WeekPage(props: { snapshot: ScheduleSnapshot | undefined }) {
  const { staffId } = useSession();
  const { queue } = useOutbox();
  const thisWeek = isoWeekOf(now());
  const [week, setWeek] = useState(thisWeek);
  usePageTitle(`Veckan ${weekLabel(week)}`);
  const { snapshot } = props;
  const weeks = [shiftWeek(thisWeek, -1), thisWeek, shiftWeek(thisWeek, 1)];
  const index = weeks.indexOf(week);
  const travel = snapshot ? travelById(snapshot) : new Map();
  return (
    <section>
      <h1>Veckan</h1>
      <div className="toolbar weeknav">
        <button
          type="button"
          className="secondary"
          disabled={index <= 0}
          onClick={() => setWeek(weeks[index - 1] ?? week)}
          aria-label="Föregående vecka"
        >
          ‹ Förra
        </button>
        <h2 className="weektitle" aria-live="polite">
          {week === thisWeek ? 'Denna vecka' : week < thisWeek ? 'Förra veckan' : 'Nästa vecka'}, {weekLabel(week)}
        </h2>
        <button
          type="button"
          className="secondary"
          disabled={index >= weeks.length - 1}
          onClick={() => setWeek(weeks[index + 1] ?? week)}
          aria-label="Nästa vecka"
        >
          Nästa ›
        </button>
      </div>
      {!snapshot ? (
        <p className="loading" role="status">
          Laddar schemat…
        </p>
      ) : (
        daysOf(week).map((day) => {
          const date = isoDate(day);
          const items = snapshot.items.filter((i) => i.startLocal.slice(0, 10) === date);
          return (
            <div key={date} className={date === isoDate(now()) ? 'day today' : 'day'}>
              <h3>{longDay(day)}</h3>
              {items.length === 0 ? (
                <p className="muted empty">Inget inbokat.</p>
              ) : (
                <ul className="tlist">
                  {items.map((i) => (
                    <ItemCard key={i.id} item={i} me={staffId} travel={travel.get(i.id)} pending={queue.find((q) => q.visitId === i.id)} />
                  ))}
                </ul>
              )}
            </div>
          );
        })
      )}
    </section>
  );
}

function SettingsPage() {
  usePageTitle('Mer');
  return (
    <section>
      <h1>Mer</h1>
      <ul className="menu">
        <li>
          <Link href="/kalender">Min kalenderprenumeration</Link>
        </li>
        <li>
          <Link href="/paminnelser">Mina påminnelser</Link>
        </li>
      </ul>
      <h2>Installera appen</h2>
      <p>
        iPhone: öppna sidan i Safari, tryck på Dela och välj <em>Lägg till på hemskärmen</em>. Android: Chrome-menyn, <em>Installera app</em>. Schemat
        för förra, denna och nästa vecka finns då kvar utan nät.
      </p>
    </section>
  );
}
