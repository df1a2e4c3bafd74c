import { AuditEntry } from '../schemas/family.js';
import type { Db } from './client.js';
import { queryPrefix, withoutKeys } from './query.js';
import { keys } from './table-design.js';

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
