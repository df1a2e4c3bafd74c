import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

/**
 * Whether the demo's pilot history 2023–2025 is still being loaded: `npm start` loads it in the background on a first
 * start and its web server answers `/local-status.json` meanwhile (infra/local/web-server.ts). Deployed there is no such
 * file (or CloudFront answers with the app's page): then nothing is shown.
 */
export interface PilotStatus {
  state: 'loading' | 'complete' | 'failed';
  percent: number;
}

async function fetchPilotStatus(): Promise<PilotStatus | null> {
  try {
    const res = await fetch('/local-status.json', { cache: 'no-store' });
    if (!res.ok) return null;
    const body = (await res.json()) as { pilot?: Partial<PilotStatus> } | null;
    const pilot = body?.pilot;
    if (!pilot || (pilot.state !== 'loading' && pilot.state !== 'complete' && pilot.state !== 'failed')) return null;
    return { state: pilot.state, percent: typeof pilot.percent === 'number' ? pilot.percent : 0 };
  } catch {
    return null;
  }
}

/** The pilot history's loading, asked again every 3 s while it loads; the figures are fetched again once it is complete. */
export function usePilotStatus(): PilotStatus | null {
  const client = useQueryClient();
  const status = useQuery({
    queryKey: ['local-status'],
    queryFn: fetchPilotStatus,
    refetchInterval: (query) => (query.state.data?.state === 'loading' ? 3000 : false),
  });
  const state = status.data?.state;
  useEffect(() => {
    if (state === 'complete') void client.invalidateQueries({ queryKey: ['figures'] });
  }, [state, client]);
  return status.data ?? null;
}
