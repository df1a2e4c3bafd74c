/**
 * The single-table design, shared by the CDK stack, the local runner and the tests, so all three
 * create exactly the same table. Every partition key starts with the team: no access pattern can
 * cross a tenant boundary. The access-pattern table lives in the README ("Data model").
 */
export const tableDesign = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
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
  familyStatusIndex: (teamId: string, status: string, code: string) => ({ gsi1pk: `TEAM#${teamId}#FAMILY_STATUS#${status}`, gsi1sk: `FAMILY#${code}` }),
  audit: (teamId: string, entity: string, entityId: string, at: string, id: string) => ({ pk: `TEAM#${teamId}#AUDIT`, sk: `${entity.toUpperCase()}#${entityId}#${at}#${id}` }),
  auditPrefix: (entity: string, entityId: string) => `${entity.toUpperCase()}#${entityId}#`,
} as const;
