/**
 * The single-table design, shared by the CDK stack, the local runner and the tests, so all three
 * create exactly the same table. Every partition key starts with the team: no access pattern can
 * cross a tenant boundary. The access-pattern table lives in the README ("Data model").
 */
export const tableDesign = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
} as const;

export const keys = {
  team: (teamId: string) => ({ pk: `TEAM#${teamId}`, sk: 'TEAM' }),
  /** All teams, for the platform admin's list (GSI1). */
  teamsIndex: (teamId: string) => ({ gsi1pk: 'TEAMS', gsi1sk: `TEAM#${teamId}` }),
  staff: (teamId: string, staffId: string) => ({ pk: `TEAM#${teamId}`, sk: `STAFF#${staffId}` }),
  staffPrefix: 'STAFF#',
  absence: (teamId: string, staffId: string, absenceId: string) => ({ pk: `TEAM#${teamId}`, sk: `ABSENCE#${staffId}#${absenceId}` }),
  absencePrefix: (staffId?: string) => (staffId ? `ABSENCE#${staffId}#` : 'ABSENCE#'),
  family: (teamId: string, code: string) => ({ pk: `TEAM#${teamId}`, sk: `FAMILY#${code}` }),
  familyPrefix: 'FAMILY#',
  familyStatusIndex: (teamId: string, status: string, code: string) => ({
    gsi1pk: `TEAM#${teamId}#FAMILY_STATUS#${status}`,
    gsi1sk: `FAMILY#${code}`,
  }),
  visit: (teamId: string, id: string) => ({ pk: `TEAM#${teamId}`, sk: `VISIT#${id}` }),
  /** A family's visits in time order (GSI1). */
  familyVisitsIndex: (teamId: string, code: string, start: string, id: string) => ({
    gsi1pk: `TEAM#${teamId}#FAMILY_VISITS#${code}`,
    gsi1sk: `${start}#${id}`,
  }),
  /** The team's calendar: visits and meetings in time order (GSI2), for week lists and the team feed. */
  calendarIndex: (teamId: string, start: string, type: 'VISIT' | 'MEETING', id: string) => ({
    gsi2pk: `TEAM#${teamId}#CALENDAR`,
    gsi2sk: `${start}#${type}#${id}`,
  }),
  calendarPartition: (teamId: string) => `TEAM#${teamId}#CALENDAR`,
  /** One staff member's engagements on one local date: the guard item every booking writes conditionally. */
  staffDay: (teamId: string, staffId: string, date: string) => ({ pk: `TEAM#${teamId}`, sk: `STAFFDAY#${staffId}#${date}` }),
  staffDayPrefix: (staffId: string) => `STAFFDAY#${staffId}#`,
  familyDay: (teamId: string, code: string, date: string) => ({ pk: `TEAM#${teamId}`, sk: `FAMILYDAY#${code}#${date}` }),
  meeting: (teamId: string, id: string) => ({ pk: `TEAM#${teamId}`, sk: `MEETING#${id}` }),
  series: (teamId: string, id: string) => ({ pk: `TEAM#${teamId}`, sk: `SERIES#${id}` }),
  seriesPrefix: 'SERIES#',
  reminder: (teamId: string, id: string) => ({ pk: `TEAM#${teamId}#REMINDERS`, sk: id }),
  /** Reminders by delivery status, ordered by when they are next due (GSI1): the dispatcher's queue and the coordinator's failed list. */
  reminderStatusIndex: (teamId: string, status: string, at: string, id: string) => ({
    gsi1pk: `TEAM#${teamId}#REMINDERS#${status}`,
    gsi1sk: `${at}#${id}`,
  }),
  /** Audit entries of a record in time order; the record's version breaks ties within one millisecond. */
  audit: (teamId: string, entity: string, entityId: string, at: string, version: number, id: string) => ({
    pk: `TEAM#${teamId}#AUDIT`,
    sk: `${entity.toUpperCase()}#${entityId}#${at}#${String(version).padStart(8, '0')}#${id}`,
  }),
  auditPrefix: (entity: string, entityId: string) => `${entity.toUpperCase()}#${entityId}#`,
  /** A team's retention settings (§10); absent = the defaults. */
  retention: (teamId: string) => ({ pk: `TEAM#${teamId}`, sk: 'RETENTION' }),
  /** The receipt of one purge run or erasure, in the audit partition: counts only, no codes or contacts. */
  purgeReceipt: (teamId: string, at: string, id: string) => ({ pk: `TEAM#${teamId}#AUDIT`, sk: `PURGE#${at}#${id}` }),
  meetingPrefix: 'MEETING#',
  familyDayPrefix: (code: string) => `FAMILYDAY#${code}#`,
  reminderPartition: (teamId: string) => `TEAM#${teamId}#REMINDERS`,
  auditPartition: (teamId: string) => `TEAM#${teamId}#AUDIT`,
  /**
   * A calendar-feed token, keyed by its SHA-256 hash (the token itself is never stored). The one partition
   * that does not begin with the team: a public feed request knows nothing but the token; the item names the team.
   */
  calendarToken: (tokenHash: string) => ({ pk: `CALTOKEN#${tokenHash}`, sk: 'CALTOKEN' }),
  /** The current token hash of one staff member's feed (scope staff or team), so rotation deletes the old token in the same transaction. */
  calendarFeed: (teamId: string, staffId: string, scope: 'staff' | 'team') => ({ pk: `TEAM#${teamId}`, sk: `CALFEED#${staffId}#${scope}` }),
  /**
   * A caller's Idempotency-Key records (Powertools idempotency, issue 10 §3), sk `<routeId>#<hash>`, expiring
   * through the TTL after 24 h. The platform admin has no team: `PLATFORM#IDEMPOTENCY`.
   */
  idempotencyPartition: (teamId: string | undefined) => (teamId ? `TEAM#${teamId}#IDEMPOTENCY` : 'PLATFORM#IDEMPOTENCY'),
  /** One Idempotency-Key record: `hash` covers the caller's subject, team and key (the key itself is not stored). */
  idempotencyRecord: (teamId: string | undefined, routeId: string, hash: string) => ({
    pk: teamId ? `TEAM#${teamId}#IDEMPOTENCY` : 'PLATFORM#IDEMPOTENCY',
    sk: `${routeId}#${hash}`,
  }),
  /** The key /ready reads to see that the table answers; never written. */
  readiness: () => ({ pk: 'READINESS', sk: 'READINESS' }),
} as const;

/**
 * Figure items, all in the team partition under sk prefix FIG, so one Query (begins_with FIG) reads
 * everything GET /figures needs — never a Scan:
 *   FIGCASE#<caseId>   one per live case: what §9 needs of it, no names; visit tallies as flat `c.<name>` attributes
 *   FIGROLL#<yyyy-mm>  anonymous monthly rollup: flat numeric counters of folded (purged) cases, updated with ADD
 *   FIGINQ#<id>        one logged inquiry (categories only)
 *   FIGTALLY#<yyyy>    de-linked yearly tally of referral concerns and diagnosis groups (ADD only, no timestamps)
 */
export const figureKeys = {
  pk: (teamId: string) => `TEAM#${teamId}`,
  figCase: (teamId: string, caseId: string) => ({ pk: `TEAM#${teamId}`, sk: `FIGCASE#${caseId}` }),
  rollup: (teamId: string, month: string) => ({ pk: `TEAM#${teamId}`, sk: `FIGROLL#${month}` }),
  inquiry: (teamId: string, id: string) => ({ pk: `TEAM#${teamId}`, sk: `FIGINQ#${id}` }),
  inquiryPrefix: 'FIGINQ#',
  tally: (teamId: string, year: string) => ({ pk: `TEAM#${teamId}`, sk: `FIGTALLY#${year}` }),
  prefix: 'FIG',
} as const;

/**
 * The registry of teams that take part in the network figures: one item per participating team in one partition,
 * `pk=NETWORK#FIGURES, sk=TEAM#<teamId>` (besides calendar tokens, the only partition not under a team: it is what
 * crosses teams, and it holds nothing but team ids).
 */
export const networkKeys = {
  partition: 'NETWORK#FIGURES',
  member: (teamId: string) => ({ pk: 'NETWORK#FIGURES', sk: `TEAM#${teamId}` }),
} as const;
