import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmsOutboxServer } from '../../infra/local/sms-outbox-server.js';
import type { SmsOutboxServer } from '../../infra/local/sms-outbox-server.js';
import { OutboxSms, SmsOutbox } from '../../shared/notify/sms-outbox.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ikb-sms-outbox-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'nested', 'outbox.jsonl');
}

async function serve(outbox: SmsOutbox): Promise<SmsOutboxServer> {
  const server = await startSmsOutboxServer({ outbox });
  cleanups.push(() => server.stop());
  return server;
}

/** A clock that advances one minute per reading, so "newest first" is checkable. */
function ticking(start: string): () => Date {
  let t = Date.parse(start);
  return () => new Date((t += 60_000));
}

describe('SmsOutbox', () => {
  it('keeps each message in memory and as one JSON line, with a distinct id', async () => {
    // Arrange
    const file = tempFile();
    const outbox = new SmsOutbox({ file, now: ticking('2026-11-23T07:00:00Z') });
    // Act
    const first = await outbox.send({ to: '+46701234567', text: 'Besök KAL-2026-01 Emmaboda kl 09:00' });
    const second = await outbox.send({ to: '+46709876543', text: 'Besök KAL-2026-02 Torsås kl 10:30' });
    // Assert
    expect(first.providerId).not.toBe(second.providerId);
    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => OutboxSms.parse(JSON.parse(l)));
    expect(lines).toEqual(outbox.messages());
    expect(lines.map((m) => [m.id, m.to, m.text, m.at])).toEqual([
      [first.providerId, '+46701234567', 'Besök KAL-2026-01 Emmaboda kl 09:00', '2026-11-23T07:01:00.000Z'],
      [second.providerId, '+46709876543', 'Besök KAL-2026-02 Torsås kl 10:30', '2026-11-23T07:02:00.000Z'],
    ]);
  });

  it('a new outbox on the same file lists the earlier messages (a restart of npm start keeps them)', async () => {
    const file = tempFile();
    await new SmsOutbox({ file }).send({ to: '+46701234567', text: 'Första' });
    const reopened = new SmsOutbox({ file });
    await reopened.send({ to: '+46701234567', text: 'Andra' });
    expect(reopened.messages().map((m) => m.text)).toEqual(['Första', 'Andra']);
  });
});

describe('the outbox server', () => {
  it('serves the messages newest first as JSON and as an HTML page with the text escaped', async () => {
    // Arrange
    const outbox = new SmsOutbox({ file: tempFile(), now: ticking('2026-11-23T07:00:00Z') });
    await outbox.send({ to: '+46701234567', text: 'Besök KAL-2026-01 kl 09:00' });
    await outbox.send({ to: '+46701234567', text: '<script>alert("x")</script> & co' });
    const server = await serve(outbox);
    // Act
    const json = await fetch(`${server.url}/messages.json`);
    const html = await fetch(`${server.url}/`);
    // Assert
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toContain('application/json');
    const messages = OutboxSms.array().parse(await json.json());
    expect(messages.map((m) => m.text)).toEqual(['<script>alert("x")</script> & co', 'Besök KAL-2026-01 kl 09:00']);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await html.text();
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(page.indexOf('&lt;script&gt;')).toBeLessThan(page.indexOf('Besök KAL-2026-01'));
  });

  it('shows a message sent after it started, answers 404 to other paths, and stops listening', async () => {
    // Arrange
    const outbox = new SmsOutbox({ file: tempFile() });
    const server = await startSmsOutboxServer({ outbox });
    // Act
    await outbox.send({ to: '+46701234567', text: 'Nytt' });
    const messages = OutboxSms.array().parse(await (await fetch(`${server.url}/messages.json`)).json());
    const missing = await fetch(`${server.url}/nope`);
    await server.stop();
    // Assert
    expect(messages.map((m) => m.text)).toEqual(['Nytt']);
    expect(missing.status).toBe(404);
    await expect(fetch(`${server.url}/messages.json`)).rejects.toThrow();
  });

  it('two servers at once get different free ports', async () => {
    const a = await serve(new SmsOutbox({ file: tempFile() }));
    const b = await serve(new SmsOutbox({ file: tempFile() }));
    expect(a.url).not.toBe(b.url);
  });
});
