import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSmsOutboxServer } from '../../infra/local/sms-outbox-server.js';
import type { SmsOutboxServer } from '../../infra/local/sms-outbox-server.js';
import { sendersFromEnv } from '../../shared/notify/senders-from-env.js';
import { SmsOutbox } from '../../shared/notify/sms-outbox.js';

let server: SmsOutboxServer | undefined;
afterAll(async () => server?.stop());

describe('the local SMS outbox page', () => {
  it('shows, live, what the dispatcher’s own sender (configured from the environment, as in npm start) sends', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ikb-sms-live-')), 'sms-outbox.jsonl');
    // The page is started first with its own outbox, as infra/local/system.ts does; the dispatcher builds another.
    server = await startSmsOutboxServer({ outbox: new SmsOutbox({ file }) });
    const { senders } = sendersFromEnv({
      MAIL_FROM: 'planner@ikb.example.org',
      SES_ENDPOINT: 'http://127.0.0.1:1',
      SMS_MODE: 'outbox',
      SMS_OUTBOX_FILE: file,
    });
    expect(await (await fetch(`${server.url}/messages.json`)).json()).toEqual([]);
    await senders.sms.send({ to: '+46701234567', text: 'IKB: Besök LIVE-2026-01 (familj) Kalmar tis 24/11 kl 15:30–17:00.' });
    await senders.sms.send({ to: '+46701234568', text: 'IKB: andra' });
    const live = (await (await fetch(`${server.url}/messages.json`)).json()) as { to: string; text: string }[];
    expect(live.map((m) => m.text)).toEqual(['IKB: andra', 'IKB: Besök LIVE-2026-01 (familj) Kalmar tis 24/11 kl 15:30–17:00.']);
    expect(await (await fetch(`${server.url}/`)).text()).toContain('2 message(s)');
  });
});
