import { usePageTitle } from '../../lib/page-title';

export default function FamiliesPage() {
  usePageTitle('Familjer');
  return (
    <section>
      <h1>Familjer</h1>
    </section>
  );
}
