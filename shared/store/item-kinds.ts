import { figureKeys, keys, networkKeys } from './table-design.js';

/**
 * The registry of item kinds (issue 25 §1): one entry for every kind of item the table holds, naming its key
 * builders (from table-design.ts), its index keys, and the personal data it holds. The purge's steps are checked
 * against it (a kind with personal data and no purge step fails a test), the full-table scan test after a purge
 * seeds every kind it lists, and docs/data-model.md is generated from it (`npm run docs:data-model`).
 */

/** What personal data an item can hold: a family's case code, a person's contact details, or free text a person typed. */
export type PersonalData = 'caseCode' | 'contact' | 'freeText';

type Key = { pk: string; sk: string };
type IndexKey = { gsi1pk: string; gsi1sk: string } | { gsi2pk: string; gsi2sk: string };
// The builders take team ids, codes, dates… (and a number or a literal here and there): the registry calls them with
// placeholders such as '<teamId>' to render the key's form.
type Builder<K> = (...args: never[]) => K;

export interface ItemKind {
  /** What the item is, in the team's world. */
  description: string;
  /** Its key builder and the placeholders the key's form is rendered with (several: one per form of the key). */
  keys: readonly { builder: Builder<Key>; args: readonly unknown[] }[];
  /** Its index keys (GSI1, GSI2), likewise. */
  indexes: readonly { builder: Builder<IndexKey>; args: readonly unknown[] }[];
  /** The personal data it can hold, and where (attribute names; `key` for the key itself). */
  personal: Partial<Record<PersonalData, readonly string[]>>;
  /** How long it stays, in a sentence (what ends it besides the purge: a TTL, a user's delete). */
  lifetime: string;
  /** Never written: a key that is only read (none of the table's items has it). */
  neverStored?: true;
}

const k = <A extends unknown[]>(builder: (...args: A) => Key, ...args: A) => ({ builder: builder as unknown as Builder<Key>, args });
const ix = <A extends unknown[]>(builder: (...args: A) => IndexKey, ...args: A) => ({ builder: builder as unknown as Builder<IndexKey>, args });

// Wrapped in /* @__PURE__ */ initializers (test/unit/pure-schemas.test.ts): a function bundle that imports none of it keeps none of it.
export const itemKinds = /* @__PURE__ */ (() =>
  ({
    team: {
      description: 'A team: its name, zone, places and travel times, network-figures flag.',
      keys: [k(keys.team, '<teamId>')],
      indexes: [ix(keys.teamsIndex, '<teamId>')],
      personal: {},
      lifetime: 'Kept.',
    },
    retention: {
      description: 'A team’s retention settings and small-cell threshold (absent: the defaults).',
      keys: [k(keys.retention, '<teamId>')],
      indexes: [],
      personal: {},
      lifetime: 'Kept.',
    },
    staff: {
      description: 'A staff member: role, name, e-mail, mobile, notification preferences.',
      keys: [k(keys.staff, '<teamId>', '<staffId>')],
      indexes: [],
      personal: { contact: ['name', 'email', 'mobile'] },
      lifetime: 'Kept as “a former staff member” (id and role) once its contact details are purged.',
    },
    absence: {
      description: 'A staff member’s absence (kind and dates, no reason text).',
      keys: [k(keys.absence, '<teamId>', '<staffId>', '<absenceId>')],
      indexes: [],
      personal: {},
      lifetime: 'Until the coordinator deletes it.',
    },
    calendarFeed: {
      description: 'The current token hash of one staff member’s calendar feed (scope staff or team).',
      keys: [k(keys.calendarFeed, '<teamId>', '<staffId>', '<scope>' as 'staff')],
      indexes: [],
      personal: {},
      lifetime: 'Until the feed is revoked or the staff member’s contact details are purged.',
    },
    calendarToken: {
      description: 'A calendar-feed token’s lookup item, keyed by its SHA-256 hash; names team, staff member and scope.',
      keys: [k(keys.calendarToken, '<tokenHash>')],
      indexes: [],
      personal: {},
      lifetime: 'Until the feed is revoked or the staff member’s contact details are purged.',
    },
    family: {
      description: 'A case (family) under its pseudonymous code: referral, therapists, windows, status, outcomes.',
      keys: [k(keys.family, '<teamId>', '<code>')],
      indexes: [ix(keys.familyStatusIndex, '<teamId>', '<status>', '<code>')],
      personal: { caseCode: ['key', 'code'] },
      lifetime: 'Until the purge (completed or declined, past retention) or an erasure.',
    },
    familyDay: {
      description: 'A family’s day guard: its visits on one local date (at most N a day, never two at once).',
      keys: [k(keys.familyDay, '<teamId>', '<code>', '<date>')],
      indexes: [],
      personal: { caseCode: ['key', 'owner', 'engagements'] },
      lifetime: 'Until its case is purged.',
    },
    visit: {
      description: 'A visit: family, kind, staff, times, place, status, outcome.',
      keys: [k(keys.visit, '<teamId>', '<visitId>')],
      indexes: [
        ix(keys.familyVisitsIndex, '<teamId>', '<code>', '<start>', '<visitId>'),
        ix(keys.calendarIndex, '<teamId>', '<start>', 'VISIT', '<visitId>'),
      ],
      personal: { caseCode: ['family', 'gsi1pk'] },
      lifetime: 'Until its case is purged.',
    },
    staffDay: {
      description: 'A staff member’s day guard: their visits and meetings on one local date, what every booking writes conditionally.',
      keys: [k(keys.staffDay, '<teamId>', '<staffId>', '<date>')],
      indexes: [],
      personal: { caseCode: ['engagements'], freeText: ['engagements'] },
      lifetime: 'Kept; the purge takes a purged case’s visits and an expired meeting off it, and redacts a purged code in a meeting on it.',
    },
    meeting: {
      description: 'A meeting (or one occurrence of a series): title, kind, place, address, staff, external attendees, a handover’s family.',
      keys: [k(keys.meeting, '<teamId>', '<meetingId>')],
      indexes: [ix(keys.calendarIndex, '<teamId>', '<start>', 'MEETING', '<meetingId>')],
      personal: { caseCode: ['family', 'title'], contact: ['external'], freeText: ['title', 'address'] },
      lifetime: 'Until the purge (past the meeting retention); a purged case’s code is redacted in it before.',
    },
    series: {
      description: 'A meeting series: the meeting fields and its recurrence rule.',
      keys: [k(keys.series, '<teamId>', '<seriesId>')],
      indexes: [],
      personal: { caseCode: ['family', 'title'], contact: ['external'], freeText: ['title', 'address'] },
      lifetime: 'Until the purge (ended, past the meeting retention); a purged case’s code is redacted in it before.',
    },
    reminder: {
      description: 'The delivery record of one message (reminder, agenda, change notice, invitation).',
      keys: [k(keys.reminder, '<teamId>', '<reminderId>')],
      indexes: [ix(keys.reminderStatusIndex, '<teamId>', '<status>', '<dueAt>', '<reminderId>')],
      personal: { contact: ['email', 'attendeeName'], freeText: ['lastError', 'droppedReason'] },
      lifetime: 'Until the purge (past the reminder retention) or the TTL (`expiresAt`, 90 days after sending).',
    },
    auditEntry: {
      description: 'One change of a family, visit, meeting, inquiry, retention setting or team: who, when, before and after.',
      keys: [k(keys.audit, '<teamId>', '<entity>', '<entityId>', '<at>', '<version>' as unknown as number, '<auditId>')],
      indexes: [],
      personal: { caseCode: ['key', 'entityId', 'before', 'after'], contact: ['before', 'after'], freeText: ['before', 'after'] },
      lifetime: 'With the record it describes; a purged case’s code is redacted in a meeting’s entries that stay.',
    },
    purgeReceipt: {
      description: 'The receipt of one purge run or erasure: counts only, no codes or contacts.',
      keys: [k(keys.purgeReceipt, '<teamId>', '<at>', '<receiptId>')],
      indexes: [],
      personal: {},
      lifetime: 'Kept (the audit of what was removed).',
    },
    idempotencyRecord: {
      description: 'An Idempotency-Key’s record: the request’s hash, its progress, and the answer it replays.',
      keys: [k(keys.idempotencyRecord, '<teamId>', '<routeId>', '<hash>'), k(keys.idempotencyRecord, undefined, '<routeId>', '<hash>')],
      indexes: [],
      personal: { caseCode: ['response', 'progress'], contact: ['response'], freeText: ['response'] },
      lifetime: 'The TTL (`expiresAt`, 24 hours); one that shows a purged case goes with it.',
    },
    figCase: {
      description: 'What the figures need of one live case (no names): its categories and visit tallies.',
      keys: [k(figureKeys.figCase, '<teamId>', '<code>')],
      indexes: [],
      personal: { caseCode: ['key'] },
      lifetime: 'Until its case is purged (folded into the monthly rollups) or erased (discarded).',
    },
    figRollup: {
      description: 'Anonymous monthly counters of purged cases.',
      keys: [k(figureKeys.rollup, '<teamId>', '<yyyy-mm>')],
      indexes: [],
      personal: {},
      lifetime: 'Kept.',
    },
    figInquiry: {
      description: 'One logged inquiry or consultation that is not a case: categories only.',
      keys: [k(figureKeys.inquiry, '<teamId>', '<inquiryId>')],
      indexes: [],
      personal: {},
      lifetime: 'Until the coordinator deletes it.',
    },
    figTally: {
      description: 'De-linked yearly counters of referral concerns and diagnosis groups.',
      keys: [k(figureKeys.tally, '<teamId>', '<yyyy>')],
      indexes: [],
      personal: {},
      lifetime: 'Kept.',
    },
    networkMember: {
      description: 'A team taking part in the network figures (nothing but its id).',
      keys: [k(networkKeys.member, '<teamId>')],
      indexes: [],
      personal: {},
      lifetime: 'While the team takes part.',
    },
    readiness: {
      description: 'The key /ready reads to see that the table answers.',
      keys: [k(keys.readiness)],
      indexes: [],
      personal: {},
      lifetime: 'Never written.',
      neverStored: true,
    },
  }) as const satisfies Record<string, ItemKind>)();

export type ItemKindName = keyof typeof itemKinds;
export const itemKindNames = /* @__PURE__ */ (() => Object.keys(itemKinds) as ItemKindName[])();

/** The kinds that hold personal data of some sort. */
export const personalKinds = /* @__PURE__ */ (() =>
  itemKindNames.filter((name) => Object.values(itemKinds[name].personal as ItemKind['personal']).some((where) => where.length > 0)))();

/** A kind's key forms, rendered with its placeholders. */
export const keyFormsOf = (kind: ItemKind): Key[] => kind.keys.map(({ builder, args }) => (builder as (...a: unknown[]) => Key)(...args));
/** A kind's index keys, rendered with its placeholders. */
export const indexFormsOf = (kind: ItemKind): IndexKey[] =>
  kind.indexes.map(({ builder, args }) => (builder as (...a: unknown[]) => IndexKey)(...args));

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// A placeholder stands for one segment in a partition key (team ids, token hashes hold no '#') and for anything in a sort key.
const patternOf = (form: string, placeholder: string) =>
  new RegExp(
    `^${form
      .split(/(<[^>]+>)/)
      .map((part, i) => (i % 2 === 1 ? placeholder : escape(part)))
      .join('')}$`,
  );
const matchers = /* @__PURE__ */ (() =>
  itemKindNames.flatMap((name) =>
    keyFormsOf(itemKinds[name]).map((key) => ({ name, pk: patternOf(key.pk, '[^#]+'), sk: patternOf(key.sk, '.+') })),
  ))();

/** The kinds a stored item's key matches (exactly one for every item the code writes: a test checks it). */
export function kindsOfKey(key: { pk: unknown; sk: unknown }): ItemKindName[] {
  const pk = String(key.pk);
  const sk = String(key.sk);
  return [...new Set(matchers.filter((m) => m.pk.test(pk) && m.sk.test(sk)).map((m) => m.name))];
}
