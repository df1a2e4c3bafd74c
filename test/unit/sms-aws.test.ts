import {
  InternalServerException,
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SendTextMessageCommandOutput } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { describe, expect, it } from 'vitest';
import { SendFailed } from '../../shared/notify/sender.js';
import { AwsSmsSender } from '../../shared/notify/sms-aws.js';
import type { SmsClient } from '../../shared/notify/sms-aws.js';

const $metadata = (httpStatusCode?: number) => (httpStatusCode === undefined ? {} : { httpStatusCode });

/** A client that records each command and answers with `reply` (or throws it). */
function recorder(reply: () => Promise<SendTextMessageCommandOutput>) {
  const commands: SendTextMessageCommand[] = [];
  const client: SmsClient = {
    send: (command) => {
      commands.push(command);
      return reply();
    },
  };
  return { client, commands };
}

const accepted = () => Promise.resolve<SendTextMessageCommandOutput>({ MessageId: 'msg-0001', $metadata: $metadata(200) });

async function failureOf(error: unknown): Promise<SendFailed> {
  const { client } = recorder(() => Promise.reject(error));
  const sender = new AwsSmsSender({ client, originator: 'IKB' });
  const failure = await sender.send({ to: '+46701234567', text: 'Besök KAL-2026-01 kl 13:00' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(failure instanceof SendFailed)) throw new Error(`expected SendFailed, got ${String(failure)}`);
  return failure;
}

describe('AwsSmsSender', () => {
  it('the real SDK client fits the adapter', () => {
    // A compile-time check as much as a runtime one: the production wiring passes this client.
    const client: SmsClient = new PinpointSMSVoiceV2Client({ region: 'eu-north-1' });
    expect(typeof client.send).toBe('function');
  });

  it('sends one transactional SendTextMessage from the alphanumeric sender and returns the provider id', async () => {
    // Arrange
    const { client, commands } = recorder(accepted);
    const sender = new AwsSmsSender({ client, originator: 'IKB', configurationSet: 'ikb-sms', timeToLiveSeconds: 3600 });
    // Act
    const result = await sender.send({ to: '+46701234567', text: 'Påminnelse: besök KAL-2026-01 i Emmaboda kl 13:00' });
    // Assert
    expect(result).toEqual({ providerId: 'msg-0001' });
    expect(commands).toHaveLength(1);
    expect(commands[0]).toBeInstanceOf(SendTextMessageCommand);
    expect(commands[0]?.input).toEqual({
      DestinationPhoneNumber: '+46701234567',
      OriginationIdentity: 'IKB',
      MessageBody: 'Påminnelse: besök KAL-2026-01 i Emmaboda kl 13:00',
      MessageType: 'TRANSACTIONAL',
      ConfigurationSetName: 'ikb-sms',
      TimeToLive: 3600,
    });
  });

  it('leaves optional fields out when not configured', async () => {
    const { client, commands } = recorder(accepted);
    await new AwsSmsSender({ client, originator: 'IKB' }).send({ to: '+46701234567', text: 'Hej' });
    expect(Object.keys(commands[0]?.input ?? {}).sort()).toEqual(['DestinationPhoneNumber', 'MessageBody', 'MessageType', 'OriginationIdentity']);
  });

  it.each(['0701234567', '+4670 123 45 67', '46701234567', '+0701234567', ''])(
    'refuses %j as not E.164, permanently, without calling AWS',
    async (to) => {
      // Arrange
      const { client, commands } = recorder(accepted);
      // Act
      const failure = await new AwsSmsSender({ client, originator: 'IKB' }).send({ to, text: 'Hej' }).catch((e: unknown) => e);
      // Assert
      expect(failure).toBeInstanceOf(SendFailed);
      expect(failure).toMatchObject({ permanent: true });
      expect(commands).toHaveLength(0);
    },
  );

  it('refuses a sender ID that is not alphanumeric 3–11 characters with a letter', () => {
    const { client } = recorder(accepted);
    for (const originator of ['IK', 'BUP-Kalmar', '123456', 'Socialtjanst1']) expect(() => new AwsSmsSender({ client, originator })).toThrow();
  });

  it.each([
    ['throttling', () => new ThrottlingException({ message: 'Rate exceeded', $metadata: $metadata(400) }), false],
    ['an internal server error', () => new InternalServerException({ message: 'boom', $metadata: $metadata(500) }), false],
    ['a spending quota', () => new ServiceQuotaExceededException({ message: 'quota', $metadata: $metadata(402) }), false],
    ['a network error (no HTTP response)', () => Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error' }), false],
    ['a validation error (invalid number)', () => new ValidationException({ message: 'invalid', $metadata: $metadata(400) }), true],
  ])('maps %s to permanent=%s', async (_label, error, permanent) => {
    const failure = await failureOf(error());
    expect(failure.permanent).toBe(permanent);
  });

  it('never puts the number or the text into the error', async () => {
    const failure = await failureOf(new ValidationException({ message: 'Destination +46701234567 is invalid', $metadata: $metadata(400) }));
    expect(failure.message).not.toContain('+46701234567');
    expect(failure.message).not.toContain('KAL-2026-01');
    expect(failure.message).toContain('ValidationException');
  });
});
