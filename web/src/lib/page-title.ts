import { useEffect } from 'react';

/** Sets the document title (never anything personal: page names and week numbers only). */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} – IKB Planner`;
  }, [title]);
}
