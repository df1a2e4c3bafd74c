import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, describe, expect, it } from 'vitest';
import { readLocalMailbox, startSesLocal } from '../../infra/local/ses-local.js';
import type { SesLocal } from '../../infra/local/ses-local.js';
import { SesEmailSender } from '../../shared/notify/ses-email.js';

const dir = mkdtempSync(join(tmpdir(), 'ikb-mailbox-'));
const running: SesLocal[] = [];

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(mailboxFile?: string): Promise<SesLocal> {
  const ses = await startSesLocal(mailboxFile ? { mailboxFile } : {});
  running.push(ses);
  return ses;
}

async function sendOne(ses: SesLocal, subject: string): Promise<string> {
  const client = new SESv2Client({
    endpoint: ses.endpoint,
    region: 'eu-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const sender = new SesEmailSender({ client, from: 'IKB Planner <planering@ikb.example>' });
  return (await sender.send({ to: 'anna@ikb.example', subject, text: 'Agenda' })).providerId;
}

describe('the local SES mailbox (npm start)', () => {
  it('keeps its messages in a file across a restart, in order, as the real SES v2 API stored them', async () => {
    // Arrange
    const file = join(dir, 'ses-mailbox.json');
    const first = await start(file);
    const ids = [await sendOne(first, 'IKB: Dagordning 1'), await sendOne(first, 'IKB: Dagordning 2')];
    const before = await readLocalMailbox(first.endpoint);

    // Act: stop (as Ctrl-C does) and start again on the same file, then send one more.
    await first.stop();
    const second = await start(file);
    const restored = await readLocalMailbox(second.endpoint);
    const third = await sendOne(second, 'IKB: Dagordning 3');
    await second.stop();
    const third_ = await start(file);
    const after = await readLocalMailbox(third_.endpoint);

    // Assert
    expect(before.map((e) => e.messageId)).toEqual(ids);
    expect(restored).toEqual(before);
    expect(after.map((e) => e.messageId)).toEqual([...ids, third]);
  });

  it('stays in memory only without a file (the tests’ default)', async () => {
    // Arrange
    const ses = await start();
    await sendOne(ses, 'IKB: Dagordning');
    await ses.stop();

    // Act
    const again = await start();

    // Assert
    expect(await readLocalMailbox(again.endpoint)).toEqual([]);
  });
});
