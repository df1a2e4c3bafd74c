import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import type { SmsMessage, SmsSender } from './sender.js';

/** One message as the local outbox keeps it. */
export const OutboxSms = /* @__PURE__ */ (() => z.object({ id: z.string(), to: z.string(), text: z.string(), at: z.string() }))();
export type OutboxSms = z.infer<typeof OutboxSms>;

/**
 * The local SMS provider (there is no SMS emulator): every message is appended to a JSON-lines file, and the file is
 * what `messages()` reads, so the outbox page shows what any sender (the dispatcher's own instance) wrote, live,
 * and a restart still lists earlier messages.
 */
export class SmsOutbox implements SmsSender {
  private readonly file: string;
  private readonly now: () => Date;

  constructor(options: { file: string; now?: () => Date }) {
    this.file = options.file;
    this.now = options.now ?? (() => new Date());
  }

  async send(message: SmsMessage): Promise<{ providerId: string }> {
    const sms: OutboxSms = { id: `outbox-${randomUUID()}`, to: message.to, text: message.text, at: this.now().toISOString() };
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, `${JSON.stringify(sms)}\n`, 'utf8');
    return { providerId: sms.id };
  }

  /** Every message in the file, in the order sent (read each time: other instances append to it too). */
  messages(): OutboxSms[] {
    if (!existsSync(this.file)) return [];
    const kept: OutboxSms[] = [];
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const parsed = OutboxSms.safeParse(safeJson(line));
      if (parsed.success) kept.push(parsed.data);
    }
    return kept;
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
