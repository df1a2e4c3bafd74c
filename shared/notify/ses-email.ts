import { randomUUID } from 'node:crypto';
import type { SendEmailCommand, SendEmailCommandInput, SendEmailCommandOutput } from '@aws-sdk/client-sesv2';
import { SendFailed, sendFailedFromAws } from './sender.js';
import type { EmailMessage, EmailSender } from './sender.js';

/** What this adapter needs of `SESv2Client` (which fits it); tests may pass a recorder. */
export interface SesClient {
  send(command: SendEmailCommand): Promise<SendEmailCommandOutput>;
}

const THROTTLING = ['TooManyRequestsException', 'LimitExceededException'];

/**
 * E-mail through Amazon SES v2. Plain messages use `Content.Simple`; invitations a raw MIME message laid out as the
 * calendar services send them (multipart/mixed → multipart/alternative [text/plain, text/calendar; method=…] + invite.ics),
 * which Outlook, Google and Apple all recognise. The project has no direct MIME dependency (nodemailer is only a transitive
 * dependency of the local SES emulator), so the message is built here: base64 parts, RFC 2047 subject, CRLF line ends.
 */
export class SesEmailSender implements EmailSender {
  private readonly client: SesClient;
  private readonly from: string;
  private readonly configurationSet: string | undefined;

  constructor(options: { client: SesClient; from: string; configurationSet?: string }) {
    assertHeaderSafe(options.from, 'from');
    this.client = options.client;
    this.from = options.from;
    this.configurationSet = options.configurationSet;
  }

  async send(message: EmailMessage): Promise<{ providerId: string }> {
    // A line break in a header value would let a value inject headers: refuse it, it will never become valid.
    if (!isHeaderSafe(message.to) || !isHeaderSafe(message.subject) || !isHeaderSafe(message.replyTo ?? ''))
      throw new SendFailed('the recipient, reply-to or subject contains a line break', true);
    const input: SendEmailCommandInput = {
      FromEmailAddress: this.from,
      Destination: { ToAddresses: [message.to] },
      ...(message.replyTo ? { ReplyToAddresses: [message.replyTo] } : {}),
      Content: message.calendar
        ? {
            Raw: {
              Data: Buffer.from(
                buildInvitationMime({
                  from: this.from,
                  to: message.to,
                  ...(message.replyTo ? { replyTo: message.replyTo } : {}),
                  subject: message.subject,
                  text: message.text,
                  calendar: message.calendar,
                }),
                'utf8',
              ),
            },
          }
        : { Simple: { Subject: { Data: message.subject, Charset: 'UTF-8' }, Body: { Text: { Data: message.text, Charset: 'UTF-8' } } } },
      ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
    };
    let output;
    try {
      // The SDK module is loaded on the first send, not at the dispatcher's cold start (most runs send nothing).
      const { SendEmailCommand } = await import('@aws-sdk/client-sesv2');
      output = await this.client.send(new SendEmailCommand(input));
    } catch (error) {
      throw sendFailedFromAws('SES', error, THROTTLING);
    }
    return { providerId: output.MessageId ?? 'unknown' };
  }
}

function isHeaderSafe(value: string): boolean {
  return !/[\r\n]/.test(value);
}

function assertHeaderSafe(value: string, what: string): void {
  if (!isHeaderSafe(value)) throw new Error(`the ${what} address contains a line break`);
}

/** Base64 in lines of 76 characters (RFC 2045). */
function base64Lines(content: string): string {
  return (
    Buffer.from(content, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');
}

/**
 * An RFC 2047 header value: ASCII as is, otherwise UTF-8 B-encoded words, never splitting a character. 39 bytes make a
 * 64-character word, so even the first line (`Subject: ` + word) stays within 76 characters.
 */
export function encodeHeaderValue(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const words: string[] = [];
  let chunk = '';
  for (const character of value) {
    if (Buffer.byteLength(chunk + character, 'utf8') > 39) {
      words.push(chunk);
      chunk = '';
    }
    chunk += character;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** `Name <address>` with a non-ASCII display name encoded; a bare address as is. */
function encodeAddress(address: string): string {
  const match = /^(.*?)\s*<([^<>]+)>$/.exec(address.trim());
  const name = match?.[1]?.replace(/^"|"$/g, '');
  if (!match || !name) return address.trim();
  return /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}" <${match[2] ?? ''}>` : `${encodeHeaderValue(name)} <${match[2] ?? ''}>`;
}

/** RFC 5322 date, e.g. `Mon, 23 Nov 2026 07:58:16 +0000`. */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** The raw invitation message (exported for tests): CRLF line ends, every body part base64. */
export function buildInvitationMime(parts: {
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  calendar: NonNullable<EmailMessage['calendar']>;
  date?: Date;
}): string {
  const mixed = `=_m${randomUUID().replace(/-/g, '')}`;
  const alternative = `=_a${randomUUID().replace(/-/g, '')}`;
  const method = parts.calendar.method;
  const filename = parts.calendar.filename.replace(/[^A-Za-z0-9._-]/g, '_');
  const lines = [
    `From: ${encodeAddress(parts.from)}`,
    `To: ${parts.to}`,
    ...(parts.replyTo ? [`Reply-To: ${parts.replyTo}`] : []),
    `Subject: ${encodeHeaderValue(parts.subject)}`,
    `Date: ${rfc5322Date(parts.date ?? new Date())}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed;\r\n boundary="${mixed}"`,
    '',
    `--${mixed}`,
    `Content-Type: multipart/alternative;\r\n boundary="${alternative}"`,
    '',
    `--${alternative}`,
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(parts.text),
    `--${alternative}`,
    // Outlook acts on the inline text/calendar part with the method parameter. Its name, too: clients that list it
    // (and the local mailbox) showed it nameless, "undefined" (issue 24 §6).
    `Content-Type: text/calendar; charset=UTF-8; method=${method}; name="${filename}"`,
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(parts.calendar.ics),
    `--${alternative}--`,
    `--${mixed}`,
    // Google and Apple also accept the attachment; it is what a person can save or open by hand.
    `Content-Type: application/ics; name="${filename}"`,
    `Content-Disposition: attachment; filename="${filename}"`,
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(parts.calendar.ics),
    `--${mixed}--`,
    '',
  ];
  return lines.join('\r\n');
}
