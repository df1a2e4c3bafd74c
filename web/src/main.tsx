import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApi } from './api/client';
import { ApiProblem } from './api/problem';
import { App } from './app';
import { AppContext } from './app-context';
import { completeSignIn, createUserManager, personOf, signOut } from './auth/session';
import { loadConfig } from './config';
import './lib/time';
import './styles.css';

async function start(): Promise<void> {
  const root = createRoot(document.getElementById('root') as HTMLElement);
  // No network at start (a reload in a car): tokens live in memory only, so there is no sign-in; a therapist's phone
  // shows the schedule it keeps and queues what is recorded until a sign-in is possible (pages/therapist/offline-start).
  const offline = async (error: unknown) => {
    const { startOffline } = await import('./pages/therapist/offline-start');
    if (!(await startOffline(root, () => window.location.reload()))) throw error;
  };
  const config = await loadConfig().catch((error: unknown) => (navigator.onLine ? Promise.reject(error) : offline(error).then(() => undefined)));
  if (!config) return;
  const manager = createUserManager(config);
  let user = (await completeSignIn(manager)) ?? (await manager.getUser());
  if (!user || user.expired) {
    await manager.signinRedirect({ state: window.location.pathname + window.location.search }).catch(offline);
    return;
  }
  manager.events.addUserLoaded((u) => {
    user = u;
  });
  const idToken = async () => {
    if (user?.expired) user = await manager.signinSilent().catch(() => null);
    return user?.id_token;
  };
  const api = createApi(config.apiUrl, idToken);
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, retry: (n, e) => !(e instanceof ApiProblem && e.status < 500) && n < 2, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
  const person = personOf(user);
  root.render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <AppContext.Provider value={{ api, person, config, idToken, signOut: () => void signOut(manager, config) }}>
          <App />
        </AppContext.Provider>
      </QueryClientProvider>
    </StrictMode>,
  );
}

start().catch((error: unknown) => {
  const root = document.getElementById('root');
  if (root) root.textContent = `IKB Planner kunde inte starta: ${error instanceof Error ? error.message : String(error)}`;
});
