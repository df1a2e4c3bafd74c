import { Suspense, lazy } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { useApp } from './app-context';
import { lastWeek, usePageTitle } from './lib/page-title';

const StartPage = lazy(() => import('./pages/start/start-page'));
const WeekPage = lazy(() => import('./pages/week/week-page'));
const FamiliesPage = lazy(() => import('./pages/families/families-page'));
const MeetingsPage = lazy(() => import('./pages/meetings/meetings-page'));
const EvaluationPage = lazy(() => import('./pages/evaluation/evaluation-page'));
const StaffPage = lazy(() => import('./pages/staff/staff-page'));
const AdminPage = lazy(() => import('./pages/admin/admin-page'));
const TherapistApp = lazy(() => import('./pages/therapist/therapist-app'));

function NavLink(props: { href: string; children: string }) {
  const [location] = useLocation();
  const current = props.href === '/' ? location === '/' : location.startsWith(props.href);
  const href = props.href === '/veckan' && lastWeek.value ? `/veckan?v=${lastWeek.value}` : props.href;
  return (
    <Link href={href} aria-current={current ? 'page' : undefined}>
      {props.children}
    </Link>
  );
}

function SignOutButton() {
  const { signOut } = useApp();
  return (
    <button type="button" className="ghost" onClick={signOut}>
      Logga ut
    </button>
  );
}

function Loading() {
  return (
    <p className="loading" role="status">
      Laddar…
    </p>
  );
}

function ConsoleShell() {
  const { person } = useApp();
  return (
    <>
      <a className="skip" href="#main">
        Hoppa till innehållet
      </a>
      <header className="topbar">
        <span className="brand">IKB Planner</span>
        <nav aria-label="Huvudmeny">
          <NavLink href="/">Översikt</NavLink>
          <NavLink href="/veckan">Veckan</NavLink>
          <NavLink href="/familjer">Familjer</NavLink>
          <NavLink href="/moten">Möten</NavLink>
          <NavLink href="/personal">Personal</NavLink>
          <NavLink href="/utvardering">Utvärdering</NavLink>
        </nav>
        <span className="who">
          {person.staffId ?? person.email} · {person.teamId}
        </span>
        <SignOutButton />
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Switch>
            <Route path="/" component={StartPage} />
            <Route path="/veckan" component={WeekPage} />
            <Route path="/familjer" component={FamiliesPage} />
            <Route path="/moten" component={MeetingsPage} />
            <Route path="/personal" component={StaffPage} />
            <Route path="/utvardering" component={EvaluationPage} />
            <Route>
              <NotFound />
            </Route>
          </Switch>
        </Suspense>
      </main>
    </>
  );
}

function AdminShell() {
  return (
    <>
      <a className="skip" href="#main">
        Hoppa till innehållet
      </a>
      <header className="topbar">
        <span className="brand">IKB Planner · administration</span>
        <SignOutButton />
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <AdminPage />
        </Suspense>
      </main>
    </>
  );
}

function NotFound() {
  usePageTitle('Sidan finns inte');
  return (
    <section>
      <h1>Sidan finns inte</h1>
      <p>
        <Link href="/">Till översikten</Link>
      </p>
    </section>
  );
}

/** Each person sees only what their role may (SPEC §8): the coordinator the console, a therapist their own day. */
export function App() {
  const { person } = useApp();
  if (person.groups.includes('coordinator')) return <ConsoleShell />;
  if (person.groups.includes('admin')) return <AdminShell />;
  if (person.groups.includes('therapist'))
    return (
      <Suspense fallback={<Loading />}>
        <TherapistApp />
      </Suspense>
    );
  return (
    <main id="main">
      <h1>Ingen behörighet</h1>
      <p>Ditt konto har ingen roll i IKB Planner. Kontakta samordnaren.</p>
      <SignOutButton />
    </main>
  );
}
