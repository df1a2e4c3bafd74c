import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { ByMonth, CaseFigures } from '../domain/figures/contribution.js';
import { contributionByMonth } from '../domain/figures/contribution.js';
import type { Family } from '../schemas/family.js';
import type { Visit } from '../schemas/visit.js';
import { Inquiry } from '../schemas/inquiry.js';
import type { Db } from './client.js';
import { figureKeys } from './table-design.js';
import type { PurgeRun } from './purge.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
const counterPrefix = 'c.';

/** The anonymous-ready part of a family that the figures need. */
export function caseFieldsOf(family: Family): Omit<CaseFigures, 'counters'> {
  return {
    referralDate: family.referral.date,
    source: family.referral.source,
    place: family.place,
    status: family.status,
    declineReason: family.declineReason,
    start: family.treatmentStart,
    end: family.status === 'completed' ? family.treatmentEnd : undefined,
    completion: family.completion?.type,
    gender: family.gender,
    age: family.ageAtStart,
    minSessions: family.minSessions,
    outcomes: family.completion?.outcomes as Record<string, string> | undefined,
  };
}

/** The FIGCASE write to put in the same transaction as a family write: a Put on create, else an Update of the case fields (visit tallies untouched). */
export function caseFiguresWrite(db: Db, family: Family, created: boolean): TransactItem {
  const key = figureKeys.figCase(family.teamId, family.code);
  const fields = caseFieldsOf(family);
  if (created) {
    return { Put: { TableName: db.tableName, Item: { ...key, ...fields, rev: 1 }, ConditionExpression: 'attribute_not_exists(sk)' } };
  }
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':one': 1 };
  const set: string[] = [];
  const remove: string[] = [];
  Object.entries(fields).forEach(([k, v], i) => {
    names[`#f${i}`] = k;
    if (v === undefined) remove.push(`#f${i}`);
    else {
      values[`:f${i}`] = v;
      set.push(`#f${i} = :f${i}`);
    }
  });
  const expression = `SET ${set.join(', ')} ADD rev :one` + (remove.length ? ` REMOVE ${remove.join(', ')}` : '');
  // attribute_exists: once a case is folded (purged), nothing may resurrect its FIGCASE and count it twice.
  return {
    Update: {
      TableName: db.tableName,
      Key: key,
      UpdateExpression: expression,
      ConditionExpression: 'attribute_exists(sk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** The visit-level tally a visit's new status adds: done per ISO week and kind, cancellations and no-shows per month of its start. */
export function visitCounterOf(visit: Visit): string | undefined {
  const month = visit.startLocal.slice(0, 7);
  if (visit.status === 'done') return `done:${visit.week}:${visit.kind}`;
  if (visit.status === 'no_show') return `noshow:${month}`;
  if (visit.status === 'cancelled') return `cancel:${month}:${visit.cancelledBy ?? 'team'}:${visit.cancelReason ?? 'other'}`;
  return undefined;
}

/** The FIGCASE ADD to put in the same transaction as a visit's status change (undefined when the figures do not change). */
export function visitFiguresWrite(db: Db, before: Visit, after: Visit): TransactItem | undefined {
  const from = visitCounterOf(before);
  const to = visitCounterOf(after);
  if (from === to) return undefined;
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':one': 1 };
  if (from) {
    names['#from'] = counterPrefix + from;
    values[':minus'] = -1;
    parts.push('#from :minus');
  }
  if (to) {
    names['#to'] = counterPrefix + to;
    parts.push('#to :one');
  }
  return {
    Update: {
      TableName: db.tableName,
      Key: figureKeys.figCase(after.teamId, after.family),
      UpdateExpression: `ADD ${parts.join(', ')}, rev :one`,
      ConditionExpression: 'attribute_exists(sk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

const StoredCase = /* @__PURE__ */ (() =>
  z.object({
    referralDate: z.string(),
    source: z.string(),
    place: z.string(),
    status: z.enum(['referred', 'accepted', 'active', 'completed', 'declined']),
    declineReason: z.string().optional(),
    start: z.string().optional(),
    end: z.string().optional(),
    completion: z.string().optional(),
    gender: z.string().optional(),
    age: z.number(),
    minSessions: z.number(),
    outcomes: z.record(z.string(), z.string()).optional(),
    rev: z.number(),
  }))();

function parseCase(item: Record<string, unknown>): CaseFigures & { rev: number } {
  const base = StoredCase.parse(item);
  const counters: Record<string, number> = {};
  for (const [k, v] of Object.entries(item)) if (k.startsWith(counterPrefix) && typeof v === 'number') counters[k.slice(counterPrefix.length)] = v;
  return { ...base, counters };
}

function parseCounters(item: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(item)) if (k !== 'pk' && k !== 'sk' && typeof v === 'number') out[k] = v;
  return out;
}

/** Everything the team's figures are computed from: one Query on the team partition, sk begins_with FIG. */
export interface TeamFigureItems {
  /** Live cases; `caseId` is the family code (the key), shown only in the coordinator's own report when asked for. */
  cases: (CaseFigures & { rev: number; caseId: string })[];
  rollups: ByMonth;
  inquiries: Inquiry[];
  tallies: Map<string, Record<string, number>>;
  readCapacity: number;
}

export async function readTeamFigureItems(db: Db, teamId: string): Promise<TeamFigureItems> {
  const out: TeamFigureItems = { cases: [], rollups: new Map(), inquiries: [], tallies: new Map(), readCapacity: 0 };
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': figureKeys.pk(teamId), ':p': figureKeys.prefix },
        ExclusiveStartKey: start,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    out.readCapacity += capacityOf(page.ConsumedCapacity);
    for (const item of page.Items ?? []) {
      const sk = String(item['sk']);
      if (sk.startsWith('FIGCASE#')) out.cases.push({ ...parseCase(item), caseId: sk.slice('FIGCASE#'.length) });
      else if (sk.startsWith('FIGROLL#')) out.rollups.set(sk.slice('FIGROLL#'.length), parseCounters(item));
      else if (sk.startsWith('FIGINQ#')) out.inquiries.push(Inquiry.parse(item));
      else if (sk.startsWith('FIGTALLY#')) out.tallies.set(sk.slice('FIGTALLY#'.length), parseCounters(item));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

const capacityOf = (c: ConsumedCapacity | undefined): number => c?.CapacityUnits ?? 0;

function addExpression(counters: Record<string, number>): {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, number>;
} {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const parts = Object.entries(counters)
    .filter(([, v]) => v !== 0)
    .map(([k, v], i) => {
      names[`#a${i}`] = k;
      values[`:a${i}`] = v;
      return `#a${i} :a${i}`;
    });
  return { UpdateExpression: `ADD ${parts.join(', ')}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

/**
 * Folds a case's figures into the team's monthly rollups and deletes its FIGCASE item, in one transaction
 * conditioned on the item (at the revision read) still existing: exactly once, even with two concurrent purges.
 * `today` (yyyy-mm-dd, team zone) only matters for a case still active; fold closed (completed/declined) cases.
 */
export async function foldCaseFigures(
  db: Db,
  teamId: string,
  caseId: string,
  today: string,
  alongside: readonly TransactItem[] = [],
): Promise<'folded' | 'already'> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const key = figureKeys.figCase(teamId, caseId);
    const got = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: key, ConsistentRead: true }));
    if (!got.Item) return 'already';
    const figures = parseCase(got.Item);
    const months = contributionByMonth(figures, today);
    const items: TransactItem[] = [...months]
      .filter(([, counters]) => Object.values(counters).some((v) => v !== 0))
      .map(([month, counters]) => ({ Update: { TableName: db.tableName, Key: figureKeys.rollup(teamId, month), ...addExpression(counters) } }));
    items.push({
      Delete: {
        TableName: db.tableName,
        Key: key,
        ConditionExpression: 'attribute_exists(sk) AND rev = :rev',
        ExpressionAttributeValues: { ':rev': figures.rev },
      },
    });
    // E.g. the purge receipt's count of folded cases, durable exactly when the fold is.
    items.push(...alongside);
    try {
      await db.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return 'folded';
    } catch (error) {
      // Another purge folded it, or a late change bumped the revision: read again.
      if (!(error instanceof TransactionCanceledException)) throw error;
    }
  }
  throw new Error(`could not fold the figures of case ${caseId}: it keeps changing`);
}

/** GDPR erasure: deletes a case's FIGCASE item without keeping its contribution. */
export async function discardCaseFigures(
  db: Db,
  teamId: string,
  caseId: string,
  alongside: readonly TransactItem[] = [],
): Promise<'discarded' | 'already'> {
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: db.tableName, Key: figureKeys.figCase(teamId, caseId), ConditionExpression: 'attribute_exists(sk)' } },
          ...alongside,
        ],
      }),
    );
    return 'discarded';
  } catch (error) {
    if (error instanceof TransactionCanceledException) return 'already';
    throw error;
  }
}

/** ADDs the categories of one tally into the team's yearly counters; with the family write it marks, in one transaction. */
export function tallyWrite(db: Db, teamId: string, year: string, counters: Record<string, number>): TransactItem {
  return { Update: { TableName: db.tableName, Key: figureKeys.tally(teamId, year), ...addExpression(counters) } };
}

/** Purge: folds a case's figures into the rollups (exactly once), counted as figuresFolded in the same transaction. */
export async function foldCase(run: PurgeRun, teamId: string, code: string, today: string): Promise<void> {
  if ((await foldCaseFigures(run.db, teamId, code, today, [run.add({ figuresFolded: 1 })])) === 'folded') await run.committed('figuresFolded');
}

/** Erasure: drops a case's figures without keeping its contribution, counted as figuresDiscarded. */
export async function discardCase(run: PurgeRun, teamId: string, code: string): Promise<void> {
  if ((await discardCaseFigures(run.db, teamId, code, [run.add({ figuresDiscarded: 1 })])) === 'discarded') await run.committed('figuresDiscarded');
}
