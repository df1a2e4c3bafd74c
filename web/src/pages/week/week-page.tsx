import { usePageTitle } from '../../lib/page-title';

export default function WeekPage() {
  usePageTitle('Veckan');
  return (
    <section>
      <h1>Veckan</h1>
    </section>
  );
}
