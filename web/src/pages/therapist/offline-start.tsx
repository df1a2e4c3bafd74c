import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import type { Root } from 'react-dom/client';
import { clearDevice, loadSnapshot } from './device-store';
import { TherapistView } from './therapist-app';

/**
 * A start with no network: the sign-in service cannot be reached and tokens were never stored, so there is no API.
 * When this phone holds a therapist's schedule, show it (with "per 14:32") and let them record outcomes into the
 * queue; signing in, once the network is back, sends them. Returns false when there is nothing on the device.
 */
export async function startOffline(root: Root, signIn: () => void): Promise<boolean> {
  const snapshot = await loadSnapshot().catch(() => undefined);
  if (!snapshot) return false;
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  root.render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <TherapistView
          session={{
            api: undefined,
            staffId: snapshot.staffId,
            teamId: snapshot.teamId,
            signIn,
            signOut: () => void clearDevice().finally(() => window.location.reload()),
          }}
        />
      </QueryClientProvider>
    </StrictMode>,
  );
  return true;
}
