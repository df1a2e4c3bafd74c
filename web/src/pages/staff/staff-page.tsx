import { usePageTitle } from '../../lib/page-title';

export default function StaffPage() {
  usePageTitle('Personal');
  return (
    <section>
      <h1>Personal</h1>
    </section>
  );
}
