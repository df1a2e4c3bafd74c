import { usePageTitle } from '../../lib/page-title';

export default function TherapistApp() {
  usePageTitle('Idag');
  return (
    <main id="main">
      <h1>Idag</h1>
    </main>
  );
}
