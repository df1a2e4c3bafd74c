/** An e-mail to one recipient; `calendar` turns it into an iTIP invitation (or cancellation) with an .ics part. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** Where answers go (an invitation: the organizing coordinator); the From address stays the system's. */
  replyTo?: string;
  calendar?: { method: 'REQUEST' | 'CANCEL'; ics: string; filename: string };
}

/** A text message to one phone number in E.164 form (`+46701234567`). */
export interface SmsMessage {
  to: string;
  text: string;
}

/** The channels the dispatcher sends through; one implementation per provider (SES, End User Messaging SMS, the local outbox). */
export interface Senders {
  email: EmailSender;
  sms: SmsSender;
}

export interface EmailSender {
  send(m: EmailMessage): Promise<{ providerId: string }>;
}

export interface SmsSender {
  send(m: SmsMessage): Promise<{ providerId: string }>;
}

/**
 * A send the provider did not accept. `permanent` means retrying cannot help (an invalid address, a rejected message);
 * otherwise (throttling, a provider outage, a network error) the dispatcher retries with backoff.
 * The message names the provider's error code only, never the message's contents or recipient.
 */
export class SendFailed extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** The request may have reached the provider (a timeout or a reset connection): resending could duplicate it. */
    readonly outcomeUnknown = false,
  ) {
    super(message);
    this.name = 'SendFailed';
  }
}

/** Network errors that prove the request never reached the provider, so a retry cannot duplicate a message. */
const neverSent = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The shape of an AWS SDK v3 service error, read defensively (network errors have no `$metadata`). */
interface AwsErrorShape {
  name?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/**
 * Classifies an error thrown by an AWS SDK v3 client: throttling, server faults and errors with no HTTP response
 * (connection refused, timeouts) are transient; other client faults (4xx: rejected, invalid, not verified) are permanent.
 */
export function sendFailedFromAws(provider: string, error: unknown, throttlingNames: readonly string[]): SendFailed {
  const shape: AwsErrorShape = typeof error === 'object' && error !== null ? error : {};
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const status = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : undefined;
  if (status === undefined) {
    // No HTTP answer: either the request never left (connection refused) or we do not know (timeout, reset).
    const text = `${String((error as { code?: unknown } | null)?.code ?? '')} ${error instanceof Error ? error.message : ''}`;
    const code = [...neverSent].find((c) => text.includes(c)) ?? name;
    if (neverSent.has(code)) return new SendFailed(`${provider} could not be reached: ${code}`, false);
    return new SendFailed(`${provider} did not answer (${code}): the message may or may not have been accepted`, true, true);
  }
  const transient = throttlingNames.includes(name) || shape.$retryable !== undefined || shape.$fault === 'server' || status >= 500 || status === 429;
  return new SendFailed(`${provider} did not accept the message: ${name} (HTTP ${status})`, !transient);
}
