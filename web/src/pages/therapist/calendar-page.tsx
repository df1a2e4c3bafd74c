import { useMutation } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { useMemo, useState } from 'react';
import { unwrap } from '../../api/problem';
import { usePageTitle } from '../../lib/page-title';
import { Dialog } from '../../ui/dialog';
import { ProblemAlert } from '../../ui/form';
import { useSession } from './session';

/** The subscription link for calendar apps: webcal:// opens the "subscribe" prompt on iPhone, Mac and Outlook. */
export const webcalOf = (url: string): string => url.replace(/^https?:\/\//, 'webcal://');

/**
 * The QR code as SVG drawn from qrcode's module matrix (no canvas, no inline style: the CSP allows neither need).
 * One path of unit squares; `data-qr` carries nothing but the size, the content is only in the modules.
 */
export function QrCode(props: { text: string; label: string }) {
  const path = useMemo(() => qrPath(props.text), [props.text]);
  return (
    <svg className="qr" viewBox={`-4 -4 ${path.size + 8} ${path.size + 8}`} role="img" aria-label={props.label} data-qr-size={path.size}>
      <rect x={-4} y={-4} width={path.size + 8} height={path.size + 8} fill="#fff" />
      <path d={path.d} fill="#000" />
    </svg>
  );
}

/** The SVG path of a text's QR code (error correction M): one `M x y h1v1h-1z` per dark module, row by row. */
export function qrPath(text: string): { size: number; d: string } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  let d = '';
  for (let y = 0; y < modules.size; y++) for (let x = 0; x < modules.size; x++) if (modules.get(y, x)) d += `M${x} ${y}h1v1h-1z`;
  return { size: modules.size, d };
}

export default function CalendarPage() {
  usePageTitle('Min kalenderprenumeration');
  const { api, staffId } = useSession();
  const [asking, setAsking] = useState<'rotate' | 'revoke'>();
  const [copied, setCopied] = useState(false);
  const issue = useMutation({
    mutationFn: async () => {
      if (!api) throw new Error('Kräver nät och inloggning.');
      return unwrap(await api.POST('/staff/{staffId}/calendar-token', { params: { path: { staffId } }, body: { scope: 'staff' } }));
    },
    onSuccess: () => setAsking(undefined),
  });
  const revoke = useMutation({
    mutationFn: async () => {
      if (!api) throw new Error('Kräver nät och inloggning.');
      const res = await api.DELETE('/staff/{staffId}/calendar-token', { params: { path: { staffId }, query: { scope: 'staff' } } });
      if (!res.response.ok) unwrap(res);
    },
    onSuccess: () => {
      issue.reset();
      setAsking(undefined);
    },
  });
  const url = issue.data?.url;
  return (
    <section>
      <h1>Min kalenderprenumeration</h1>
      <p>
        Dina besök och möten, fyra veckor bakåt och ett halvår framåt, i telefonens eller datorns kalender. Kalendern hämtar ändringar själv. Den
        visar familjekod, typ av besök och ort – inget mer.
      </p>
      {url ? (
        <div className="card feed">
          <h2>Din länk</h2>
          <p className="hint">Visas bara nu. Den som har länken kan läsa ditt schema: dela den inte.</p>
          <p>
            <a href={webcalOf(url)} className="button">
              Prenumerera i kalendern
            </a>
          </p>
          <QrCode text={webcalOf(url)} label="QR-kod med prenumerationslänken" />
          <p className="feedurl">
            <code data-testid="feed-url">{webcalOf(url)}</code>
          </p>
          <p>
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void navigator.clipboard
                  ?.writeText(url)
                  .then(() => setCopied(true))
                  .catch(() => setCopied(false))
              }
            >
              Kopiera länken (https)
            </button>{' '}
            {copied && <span role="status">Kopierad.</span>}
          </p>
          <ul className="howto">
            <li>
              <strong>iPhone:</strong> tryck på <em>Prenumerera i kalendern</em> (eller skanna QR-koden med kameran) och välj <em>Prenumerera</em>.
            </li>
            <li>
              <strong>Android:</strong> öppna Google Kalender på webben, <em>Andra kalendrar › Från webbadress</em>, och klistra in https-länken.
            </li>
            <li>
              <strong>Outlook:</strong> <em>Lägg till kalender › Prenumerera från webben</em> och klistra in länken.
            </li>
          </ul>
        </div>
      ) : (
        <p className="muted">
          Länken visas bara när den skapas. Har du en sedan tidigare fortsätter den fungera tills du byter eller återkallar den.
        </p>
      )}
      <ProblemAlert error={issue.error ?? revoke.error} />
      <div className="actions">
        <button type="button" disabled={!api} onClick={() => setAsking('rotate')}>
          {url ? 'Byt länk' : 'Skapa länk'}
        </button>
        <button type="button" className="secondary" disabled={!api} onClick={() => setAsking('revoke')}>
          Återkalla länken
        </button>
      </div>
      {revoke.isSuccess && (
        <p className="notice" role="status">
          Länken är återkallad: kalendrar som prenumererar på den får inga fler uppdateringar.
        </p>
      )}
      {asking === 'rotate' && (
        <Dialog title={url ? 'Byt länk?' : 'Skapa länk?'} onClose={() => setAsking(undefined)}>
          <p>En ny länk skapas. En tidigare länk slutar fungera direkt, så kalendrar som använder den behöver prenumerera på den nya.</p>
          <div className="actions">
            <button type="button" disabled={issue.isPending} onClick={() => issue.mutate()}>
              Ja, skapa ny länk
            </button>
            <button type="button" className="secondary" onClick={() => setAsking(undefined)}>
              Avbryt
            </button>
          </div>
        </Dialog>
      )}
      {asking === 'revoke' && (
        <Dialog title="Återkalla länken?" onClose={() => setAsking(undefined)}>
          <p>Länken slutar fungera direkt. Kalendrar som prenumererar på den slutar uppdateras.</p>
          <div className="actions">
            <button type="button" className="danger" disabled={revoke.isPending} onClick={() => revoke.mutate()}>
              Ja, återkalla
            </button>
            <button type="button" className="secondary" onClick={() => setAsking(undefined)}>
              Avbryt
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
