import { usePageTitle } from '../../lib/page-title';

export default function StartPage() {
  usePageTitle('Översikt');
  return (
    <section>
      <h1>Översikt</h1>
    </section>
  );
}
