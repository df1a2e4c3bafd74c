import { usePageTitle } from '../../lib/page-title';

export default function MeetingsPage() {
  usePageTitle('Möten');
  return (
    <section>
      <h1>Möten</h1>
    </section>
  );
}
