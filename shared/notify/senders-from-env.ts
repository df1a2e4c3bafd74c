import * as z from 'zod';
import { SesEmailSender } from './ses-email.js';
import type { Senders } from './sender.js';
import { AwsSmsSender } from './sms-aws.js';
import { SmsOutbox } from './sms-outbox.js';

/**
 * A client created on its first use: the dispatcher runs every minute and most runs send nothing, so its cold start
 * does not load the SES and SMS SDK modules (≈ 25 ms, issue 14 §2); the first send pays that once.
 */
function lazyClient<C extends { send(command: never): Promise<unknown> }>(create: () => Promise<C>): C {
  let client: Promise<C> | undefined;
  return { send: async (command: never) => (await (client ??= create())).send(command) } as unknown as C;
}

const NotifyConfig = /* @__PURE__ */ (() =>
  z.object({
    MAIL_FROM: z.email(),
    MAIL_FROM_NAME: z.string().default('IKB Planner'),
    /** Locally: aws-ses-v2-local's URL. In AWS: absent (the real SES endpoint). */
    SES_ENDPOINT: z.url().optional(),
    SES_CONFIGURATION_SET: z.string().optional(),
    /** `aws` = End User Messaging SMS; `outbox` = the local outbox file (no SMS emulator exists). */
    SMS_MODE: z.enum(['aws', 'outbox']).default('aws'),
    SMS_ORIGINATOR: z.string().default('IKB'),
    SMS_OUTBOX_FILE: z.string().optional(),
    AWS_REGION: z.string().default('eu-north-1'),
  }))();

/** The senders and From address configured by the environment, read and validated once per process. */
export function sendersFromEnv(env: NodeJS.ProcessEnv = process.env): { senders: Senders; from: string; organizerName: string } {
  const config = NotifyConfig.parse(env);
  const local = config.SES_ENDPOINT !== undefined;
  // One attempt per call: the dispatcher's own backoff decides when to try again.
  const ses = lazyClient(async () => {
    const { SESv2Client } = await import('@aws-sdk/client-sesv2');
    return new SESv2Client({
      region: config.AWS_REGION,
      maxAttempts: 1,
      ...(local ? { endpoint: config.SES_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
  });
  const email = new SesEmailSender({
    client: ses,
    from: config.MAIL_FROM,
    ...(config.SES_CONFIGURATION_SET ? { configurationSet: config.SES_CONFIGURATION_SET } : {}),
  });
  let sms: Senders['sms'];
  if (config.SMS_MODE === 'outbox') {
    if (!config.SMS_OUTBOX_FILE) throw new Error('SMS_OUTBOX_FILE is required when SMS_MODE=outbox');
    sms = new SmsOutbox({ file: config.SMS_OUTBOX_FILE });
  } else {
    const smsClient = lazyClient(async () => {
      const { PinpointSMSVoiceV2Client } = await import('@aws-sdk/client-pinpoint-sms-voice-v2');
      return new PinpointSMSVoiceV2Client({ region: config.AWS_REGION, maxAttempts: 1 });
    });
    sms = new AwsSmsSender({ client: smsClient, originator: config.SMS_ORIGINATOR });
  }
  return { senders: { email, sms }, from: config.MAIL_FROM, organizerName: config.MAIL_FROM_NAME };
}
