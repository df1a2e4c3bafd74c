import { usePageTitle } from '../../lib/page-title';

export default function AdminPage() {
  usePageTitle('Administration');
  return (
    <section>
      <h1>Administration</h1>
    </section>
  );
}
