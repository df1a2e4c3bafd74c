import type { SendTextMessageCommand, SendTextMessageCommandInput, SendTextMessageCommandOutput } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SendFailed, sendFailedFromAws } from './sender.js';
import type { SmsMessage, SmsSender } from './sender.js';

/** What this adapter needs of `PinpointSMSVoiceV2Client`; tests pass a recorder. */
export interface SmsClient {
  send(command: SendTextMessageCommand): Promise<SendTextMessageCommandOutput>;
}

// A spending or rate quota clears with time, so it is retried like throttling; a validation error never will.
const TRANSIENT = ['ThrottlingException', 'InternalServerException', 'ServiceQuotaExceededException'];

/** E.164: a plus, a country code not starting with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

/** Transactional SMS through AWS End User Messaging SMS (`SendTextMessage`) from an alphanumeric sender ID such as "IKB". */
export class AwsSmsSender implements SmsSender {
  private readonly client: SmsClient;
  private readonly originator: string;
  private readonly configurationSet: string | undefined;
  private readonly timeToLiveSeconds: number | undefined;

  constructor(options: { client: SmsClient; originator: string; configurationSet?: string; timeToLiveSeconds?: number }) {
    // An alphanumeric sender ID is 3–11 letters/digits with at least one letter (a neutral one: never a unit name).
    if (!/^(?=.*[A-Za-z])[A-Za-z0-9]{3,11}$/.test(options.originator))
      throw new Error('the SMS sender ID must be 3–11 letters or digits, at least one letter');
    this.client = options.client;
    this.originator = options.originator;
    this.configurationSet = options.configurationSet;
    this.timeToLiveSeconds = options.timeToLiveSeconds;
  }

  async send(message: SmsMessage): Promise<{ providerId: string }> {
    if (!E164.test(message.to)) throw new SendFailed('the phone number is not in E.164 form', true);
    if (message.text.trim() === '') throw new SendFailed('the message is empty', true);
    const input: SendTextMessageCommandInput = {
      DestinationPhoneNumber: message.to,
      OriginationIdentity: this.originator,
      MessageBody: message.text,
      MessageType: 'TRANSACTIONAL',
      ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
      ...(this.timeToLiveSeconds ? { TimeToLive: this.timeToLiveSeconds } : {}),
    };
    let output: SendTextMessageCommandOutput;
    try {
      // The SDK module is loaded on the first send, not at the dispatcher's cold start (most runs send nothing).
      const { SendTextMessageCommand } = await import('@aws-sdk/client-pinpoint-sms-voice-v2');
      output = await this.client.send(new SendTextMessageCommand(input));
    } catch (error) {
      throw sendFailedFromAws('End User Messaging SMS', error, TRANSIENT);
    }
    return { providerId: output.MessageId ?? 'unknown' };
  }
}
