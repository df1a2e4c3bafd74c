import { createContext, useContext } from 'react';
import type { Api } from './api/client';
import type { Person } from './auth/session';
import type { WebConfig } from './config';

/** What every page needs: the API client, who is signed in, the configuration, sign-out. */
export interface AppContextValue {
  api: Api;
  person: Person;
  config: WebConfig;
  idToken: () => Promise<string | undefined>;
  signOut: () => void;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside the app');
  return value;
}
