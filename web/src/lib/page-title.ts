import { useEffect } from 'react';

/** Sets the document title (never anything personal: page names and week numbers only). */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} – IKB Planner`;
  }, [title]);
}

/** The week the coordinator last looked at: *Veckan* in the menu returns to it (kept in memory only). */
export const lastWeek: { value: string | undefined } = { value: undefined };
