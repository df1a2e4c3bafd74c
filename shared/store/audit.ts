import { AuditEntry } from '../schemas/family.js';
import type { Db } from './client.js';
import { queryPrefix, withoutKeys } from './query.js';
import { keys } from './table-design.js';
import pMap from 'p-map';
import type { PurgeRun, Stored } from './purge.js';
import { storedAs } from './purge.js';

/** The audit record as a table item; written in the same transaction as the change it describes. */
export function auditItem(entry: AuditEntry, id: string): Record<string, unknown> {
  const after = entry.after as { version?: unknown } | undefined;
  const version = typeof after?.version === 'number' ? after.version : 0;
  return { ...keys.audit(entry.teamId, entry.entity, entry.entityId, entry.at, version, id), ...entry };
}

/** The audit trail of one record, oldest first (Query pk=TEAM#t#AUDIT, sk begins_with ENTITY#id#). */
export async function listAudit(db: Db, teamId: string, entity: AuditEntry['entity'], entityId: string): Promise<AuditEntry[]> {
  const items = await queryPrefix(db, `TEAM#${teamId}#AUDIT`, keys.auditPrefix(entity, entityId));
  return items.map((item) => AuditEntry.parse(withoutKeys(item)));
}

/** The audit entries of one record as the purge reads them (Query pk=TEAM#t#AUDIT, sk begins_with ENTITY#id#). */
export async function auditToPurge(db: Db, teamId: string, entity: AuditEntry['entity'], entityId: string): Promise<Stored<AuditEntry>[]> {
  return (await queryPrefix(db, keys.auditPartition(teamId), keys.auditPrefix(entity, entityId))).map(
    storedAs((item) => AuditEntry.parse(withoutKeys(item))),
  );
}

/** Purge: deletes the audit trails of these records (read 8 at a time; counted as auditEntries). */
export async function forgetAudit(run: PurgeRun, teamId: string, entity: AuditEntry['entity'], entityIds: Iterable<string>): Promise<void> {
  const trails = await pMap(entityIds, (id) => auditToPurge(run.db, teamId, entity, id), { concurrency: 8 });
  await run.delete(
    trails.flat().map((entry) => entry.key),
    'auditEntries',
  );
}
