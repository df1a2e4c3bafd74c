import { usePageTitle } from '../../lib/page-title';

export default function EvaluationPage() {
  usePageTitle('Utvärdering');
  return (
    <section>
      <h1>Utvärdering</h1>
    </section>
  );
}
