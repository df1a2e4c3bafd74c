import { createContext, useContext } from 'react';
import type { Api } from '../../api/client';

/**
 * The therapist's view runs in two ways: signed in (the API at hand), or started from the device with no network and
 * so no token (tokens live in memory only): then it shows the stored schedule and queues what is recorded, and
 * offers sign-in when the network returns.
 */
export interface TherapistSession {
  api: Api | undefined;
  staffId: string;
  teamId: string;
  signIn: () => void;
  /** Clears the device (schedule and queue) and ends the sign-in. */
  signOut: () => void;
}

export const SessionContext = createContext<TherapistSession | undefined>(undefined);

export function useSession(): TherapistSession {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside the therapist view');
  return value;
}
