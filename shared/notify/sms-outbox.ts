import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { SmsMessage, SmsSender } from './sender.js';

/** One message as the local outbox keeps it. */
export const OutboxSms = z.object({ id: z.string(), to: z.string(), text: z.string(), at: z.string() });
export type OutboxSms = z.infer<typeof OutboxSms>;

/**
 * The local SMS provider (there is no SMS emulator): every message is kept in memory and appended to a JSON-lines
 * file, so `npm start` can show it at a local URL and a restart still lists earlier messages.
 */
export class SmsOutbox implements SmsSender {
  private readonly file: string;
  private readonly now: () => Date;
  private readonly kept: OutboxSms[] = [];

  constructor(options: { file: string; now?: () => Date }) {
    this.file = options.file;
    this.now = options.now ?? (() => new Date());
    if (existsSync(this.file)) {
      for (const line of readFileSync(this.file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        const parsed = OutboxSms.safeParse(safeJson(line));
        if (parsed.success) this.kept.push(parsed.data);
      }
    }
  }

  async send(message: SmsMessage): Promise<{ providerId: string }> {
    const sms: OutboxSms = { id: `outbox-${randomUUID()}`, to: message.to, text: message.text, at: this.now().toISOString() };
    this.kept.push(sms);
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, `${JSON.stringify(sms)}\n`, 'utf8');
    return { providerId: sms.id };
  }

  /** Every message, in the order sent. */
  messages(): OutboxSms[] {
    return [...this.kept];
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
