import {
  AccountSuspendedException,
  BadRequestException,
  InternalServiceErrorException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  SESv2Client,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import type { SendEmailCommand, SendEmailCommandOutput } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { SendFailed } from '../../shared/notify/sender.js';
import { SesEmailSender } from '../../shared/notify/ses-email.js';
import type { SesClient } from '../../shared/notify/ses-email.js';

function recorder(reply: () => Promise<SendEmailCommandOutput>) {
  const commands: SendEmailCommand[] = [];
  const client: SesClient = {
    send: (command) => {
      commands.push(command);
      return reply();
    },
  };
  return { client, commands };
}

const accepted = () => Promise.resolve<SendEmailCommandOutput>({ MessageId: 'ses-0001', $metadata: { httpStatusCode: 200 } });
const message = { to: 'asa.oberg@emmaboda.example', subject: 'Påminnelse: Kommunmöte Emmaboda 8 dec 13:00', text: 'Hej Åsa,\n\nTid: 13:00–14:30' };

describe('SesEmailSender', () => {
  it('the real SESv2Client fits the adapter', () => {
    const client: SesClient = new SESv2Client({ region: 'eu-north-1' });
    expect(typeof client.send).toBe('function');
  });

  it('a plain message is Content.Simple with UTF-8 subject and text, from the configured sender and configuration set', async () => {
    // Arrange
    const { client, commands } = recorder(accepted);
    const sender = new SesEmailSender({ client, from: 'IKB Planner <planering@ikb.example>', configurationSet: 'ikb-mail' });
    // Act
    const result = await sender.send(message);
    // Assert
    expect(result).toEqual({ providerId: 'ses-0001' });
    expect(commands).toHaveLength(1);
    expect(commands[0]?.input).toEqual({
      FromEmailAddress: 'IKB Planner <planering@ikb.example>',
      Destination: { ToAddresses: ['asa.oberg@emmaboda.example'] },
      Content: { Simple: { Subject: { Data: message.subject, Charset: 'UTF-8' }, Body: { Text: { Data: message.text, Charset: 'UTF-8' } } } },
      ConfigurationSetName: 'ikb-mail',
    });
  });

  it('a message with a calendar is Content.Raw: the MIME message with the text and the calendar twice', async () => {
    // Arrange
    const { client, commands } = recorder(accepted);
    const ics = 'BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n';
    // Act
    await new SesEmailSender({ client, from: 'planering@ikb.example' }).send({
      ...message,
      calendar: { method: 'CANCEL', ics, filename: 'invite.ics' },
    });
    // Assert
    const input = commands[0]?.input;
    expect(input?.Content?.Simple).toBeUndefined();
    expect(input?.ConfigurationSetName).toBeUndefined();
    const raw = Buffer.from(input?.Content?.Raw?.Data ?? new Uint8Array()).toString('utf8');
    expect(raw).toContain('From: planering@ikb.example\r\n');
    expect(raw).toContain('To: asa.oberg@emmaboda.example\r\n');
    expect(raw).toContain('Content-Type: text/calendar; charset=UTF-8; method=CANCEL; name="invite.ics"');
    expect(raw.split(Buffer.from(ics).toString('base64')).length - 1).toBe(2);
    expect(raw).toContain(Buffer.from(message.text).toString('base64'));
    expect(raw).not.toContain('Påminnelse');
  });

  it.each([
    ['TooManyRequests', () => new TooManyRequestsException({ message: 'slow down', $metadata: { httpStatusCode: 429 } }), false],
    ['LimitExceeded (sending quota)', () => new LimitExceededException({ message: 'quota', $metadata: { httpStatusCode: 400 } }), false],
    ['an internal service error', () => new InternalServiceErrorException({ message: 'boom', $metadata: { httpStatusCode: 500 } }), false],
    ['a network error', () => new Error('connect ECONNREFUSED 127.0.0.1:1'), false],
    ['MessageRejected', () => new MessageRejected({ message: 'Email address is not verified', $metadata: { httpStatusCode: 400 } }), true],
    ['BadRequest', () => new BadRequestException({ message: 'Illegal address', $metadata: { httpStatusCode: 400 } }), true],
    ['MailFromDomainNotVerified', () => new MailFromDomainNotVerifiedException({ message: 'x', $metadata: { httpStatusCode: 400 } }), true],
    ['AccountSuspended', () => new AccountSuspendedException({ message: 'x', $metadata: { httpStatusCode: 400 } }), true],
  ])('maps %s to permanent=%s, naming only the error code', async (_label, error, permanent) => {
    // Arrange
    const { client } = recorder(() => Promise.reject(error()));
    // Act
    const failure = await new SesEmailSender({ client, from: 'planering@ikb.example' }).send(message).catch((e: unknown) => e);
    // Assert
    expect(failure).toBeInstanceOf(SendFailed);
    expect(failure).toMatchObject({ permanent });
    const text = failure instanceof Error ? failure.message : '';
    expect(text).not.toContain('asa.oberg');
    expect(text).not.toContain('Påminnelse');
  });

  it('refuses a from address with a line break at construction', () => {
    const { client } = recorder(accepted);
    expect(() => new SesEmailSender({ client, from: 'a@b.se\nBcc: x@y.se' })).toThrow();
  });
});
