import { AsyncLocalStorage } from 'node:async_hooks';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.js';
import { deleteKeys, keyOf } from './purge.js';
import { keys } from './table-design.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** How long an Idempotency-Key's first answer is kept and replayed (issue 10 §3). */
export const idempotencyTtlSeconds = 24 * 60 * 60;

/** The answer kept for a key and replayed to a retry: what the route answered. */
export interface StoredAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface RecordKey {
  pk: string;
  sk: string;
}

/** A keyed request while its use case runs: the record it holds the lock of, and what a crashed attempt of it left. */
export interface KeyedRequest {
  db: Db;
  key: RecordKey;
  /** This attempt's lock token: every write to the record is conditioned on it, so a taken-over attempt can no longer commit. */
  attempt: string;
  /** Steps an earlier attempt of the same request committed before it died (see `progressItems`). */
  progress: Record<string, unknown>;
  /** Turns the use case's result into the answer the route gives (its success status, headers and JSON body). */
  answerOf: (result: unknown) => StoredAnswer;
  /** The answer this attempt put into a write's transaction, if it did. */
  answered?: StoredAnswer;
}

/*
 * The record of one key (issue 10 §3, issue 24 §1), in the caller's team partition, sk `<routeId>#<hash>`:
 *   idempotencyStatus   INPROGRESS while a request runs (or died), COMPLETED once its write committed
 *   requestHash         what "the same request" means (path parameters, query, body)
 *   attempt             the lock token of the attempt holding it; inProgressExpiresAt (epoch ms) its deadline
 *   progress            steps of a multi-step request already committed (each in the transaction of its own write)
 *   response            the answer, written in the SAME transaction as the write it answers
 *   expiresAt           epoch seconds, the table's TTL: 24 h after the request
 */
const inProgress = 'INPROGRESS';
const completed = 'COMPLETED';
const lockHeld = 'attempt = :attempt AND idempotencyStatus = :inProgress';

const current = new AsyncLocalStorage<KeyedRequest>();

/** Runs a use case as the keyed request `request`: its writes can then carry the record (`answerItems`, `progressItems`). */
export function runKeyed<T>(request: KeyedRequest, run: () => Promise<T>): Promise<T> {
  return current.run(request, run);
}

/**
 * The transaction item that completes the running request's Idempotency-Key record with its answer (`result`, the
 * use case's return value), to be sent in the SAME transaction as the write it answers: either both commit or neither,
 * so a crash can never leave the write without its answer. Nothing without a key. Conditioned on this attempt's lock.
 */
export function answerItems(result: unknown): TransactItem[] {
  const request = current.getStore();
  if (!request) return [];
  const answer = request.answerOf(result);
  request.answered = answer;
  return [
    {
      Update: {
        TableName: request.db.tableName,
        Key: request.key,
        UpdateExpression: 'SET idempotencyStatus = :completed, #response = :answer REMOVE attempt, inProgressExpiresAt, progress',
        ConditionExpression: lockHeld,
        ExpressionAttributeNames: { '#response': 'response' },
        ExpressionAttributeValues: { ':completed': completed, ':answer': answer, ':attempt': request.attempt, ':inProgress': inProgress },
      },
    },
  ];
}

/**
 * For a request that commits in several transactions: the item that notes, in the same transaction as one step's
 * write, what that step wrote (`value`, under `step`), so that a retry after a crash finds it (`resumedStep`) and
 * carries on from there instead of writing it again. Nothing without a key.
 */
export function progressItems(step: string, value: unknown): TransactItem[] {
  const request = current.getStore();
  if (!request) return [];
  return [
    {
      Update: {
        TableName: request.db.tableName,
        Key: request.key,
        UpdateExpression: 'SET progress.#step = :value',
        ConditionExpression: lockHeld,
        ExpressionAttributeNames: { '#step': step },
        ExpressionAttributeValues: { ':value': value, ':attempt': request.attempt, ':inProgress': inProgress },
      },
    },
  ];
}

/**
 * Notes a step in the running request's record on its own (one conditional UpdateItem), for a step whose writes
 * cannot join one transaction (an erasure's batch deletes) but can be resumed. Nothing without a key.
 */
export async function noteProgress(step: string, value: unknown): Promise<void> {
  const request = current.getStore();
  if (!request) return;
  const [item] = progressItems(step, value);
  if (item?.Update) await request.db.doc.send(new UpdateCommand(item.Update));
}

/** What an earlier, crashed attempt of the running request committed at `step` (undefined: nothing, or no key). */
export function resumedStep(step: string): unknown {
  return current.getStore()?.progress[step];
}

/** The outcome of taking a key's record before the request runs. */
export type Acquired =
  | { outcome: 'acquired'; progress: Record<string, unknown> }
  | { outcome: 'replay'; answer: StoredAnswer }
  | { outcome: 'reused' }
  | { outcome: 'busy' };

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

/**
 * Takes the record of a key for one attempt (`attempt`, locked until `lockUntilMs`). A new key (or one whose 24 h
 * have passed) costs one conditional UpdateItem. Otherwise the record decides: another request under this key is
 * `reused` (422); a completed one is replayed; one in progress whose lock has not expired is `busy` (409); one whose
 * lock expired — its Lambda died — is taken over, keeping the progress it made, so the retry carries on from there.
 */
export async function acquireRecord(
  db: Db,
  key: RecordKey,
  requestHash: string,
  attempt: string,
  lockUntilMs: number,
  nowMs: number,
): Promise<Acquired> {
  for (let round = 0; round < 3; round++) {
    try {
      await db.doc.send(
        new UpdateCommand({
          TableName: db.tableName,
          Key: key,
          UpdateExpression:
            'SET idempotencyStatus = :inProgress, requestHash = :hash, attempt = :attempt, inProgressExpiresAt = :lock, expiresAt = :expires, progress = :none REMOVE #response',
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSeconds',
          ExpressionAttributeNames: { '#response': 'response' },
          ExpressionAttributeValues: {
            ':inProgress': inProgress,
            ':hash': requestHash,
            ':attempt': attempt,
            ':lock': lockUntilMs,
            ':expires': Math.floor(nowMs / 1000) + idempotencyTtlSeconds,
            ':none': {},
            ':nowSeconds': Math.floor(nowMs / 1000),
          },
        }),
      );
      return { outcome: 'acquired', progress: {} };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const found = (await db.doc.send(new GetCommand({ TableName: db.tableName, Key: key, ConsistentRead: true }))).Item;
    if (!found) continue;
    if (found['requestHash'] !== requestHash) return { outcome: 'reused' };
    if (found['idempotencyStatus'] === completed) return { outcome: 'replay', answer: found['response'] as StoredAnswer };
    if (typeof found['inProgressExpiresAt'] === 'number' && found['inProgressExpiresAt'] > nowMs) return { outcome: 'busy' };
    try {
      const taken = await db.doc.send(
        new UpdateCommand({
          TableName: db.tableName,
          Key: key,
          UpdateExpression: 'SET attempt = :attempt, inProgressExpiresAt = :lock, progress = if_not_exists(progress, :none)',
          ConditionExpression: `idempotencyStatus = :inProgress AND ${found['attempt'] === undefined ? 'attribute_not_exists(attempt)' : 'attempt = :previous'}`,
          ExpressionAttributeValues: {
            ':attempt': attempt,
            ':lock': lockUntilMs,
            ':none': {},
            ':inProgress': inProgress,
            ...(found['attempt'] === undefined ? {} : { ':previous': found['attempt'] }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { outcome: 'acquired', progress: (taken.Attributes?.['progress'] as Record<string, unknown> | undefined) ?? {} };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  return { outcome: 'busy' };
}

/**
 * Completes the record with the answer outside any transaction: for a request that wrote nothing more (a plan commit
 * whose families all collided) or finished the last of several steps. False when this attempt no longer holds it.
 */
export async function completeRecord(request: KeyedRequest, answer: StoredAnswer): Promise<boolean> {
  try {
    await request.db.doc.send(
      new UpdateCommand({
        TableName: request.db.tableName,
        Key: request.key,
        UpdateExpression: 'SET idempotencyStatus = :completed, #response = :answer REMOVE attempt, inProgressExpiresAt, progress',
        ConditionExpression: lockHeld,
        ExpressionAttributeNames: { '#response': 'response' },
        ExpressionAttributeValues: { ':completed': completed, ':answer': answer, ':attempt': request.attempt, ':inProgress': inProgress },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * A request that failed gives its key back: a record with no progress is deleted (the table is as before, and a
 * retry runs anew); one holding the progress of committed steps is only unlocked, so a retry carries on from them.
 */
export async function releaseRecord(request: KeyedRequest): Promise<void> {
  const values = { ':attempt': request.attempt, ':inProgress': inProgress };
  try {
    await request.db.doc.send(
      new DeleteCommand({
        TableName: request.db.tableName,
        Key: request.key,
        ConditionExpression: `${lockHeld} AND (attribute_not_exists(progress) OR size(progress) = :zero)`,
        ExpressionAttributeValues: { ...values, ':zero': 0 },
      }),
    );
    return;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  try {
    await request.db.doc.send(
      new UpdateCommand({
        TableName: request.db.tableName,
        Key: request.key,
        UpdateExpression: 'SET inProgressExpiresAt = :zero',
        ConditionExpression: lockHeld,
        ExpressionAttributeValues: { ...values, ':zero': 0 },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** The partition of a caller's idempotency records. */
export const idempotencyPartition = (teamId: string | undefined): string => keys.idempotencyPartition(teamId);

/**
 * Deletes a team's idempotency records whose stored answer (or, for a request that died midway, the progress it
 * noted) mentions a family code, so that erasing a case leaves no copy of it in a replayable response (they would
 * otherwise live on for up to 24 h).
 */
export async function deleteIdempotencyRecordsMentioning(db: Db, teamId: string, code: string): Promise<number> {
  const found: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'contains(#response.#body, :code) OR attribute_exists(progress)',
        ExpressionAttributeNames: { '#response': 'response', '#body': 'body' },
        // The code as a JSON string value, so KAL-2026-1 does not match KAL-2026-10.
        ExpressionAttributeValues: { ':pk': keys.idempotencyPartition(teamId), ':code': JSON.stringify(code) },
        ProjectionExpression: 'pk, sk, #response.#body, progress',
        ExclusiveStartKey: start,
      }),
    );
    const mentions = (item: Record<string, unknown>) =>
      String((item['response'] as { body?: unknown } | undefined)?.body ?? '').includes(JSON.stringify(code)) ||
      JSON.stringify(item['progress'] ?? {}).includes(JSON.stringify(code));
    found.push(...(out.Items ?? []).filter(mentions));
    start = out.LastEvaluatedKey;
  } while (start);
  return deleteKeys(db, found.map(keyOf));
}
