import type { FamilyStatus } from '../schemas/family.js';

/** The legal status transitions of a case: referred → accepted → active → completed, or declined before treatment starts. */
const transitions: Record<FamilyStatus, readonly FamilyStatus[]> = {
  referred: ['accepted', 'declined'],
  accepted: ['active', 'declined'],
  active: ['completed'],
  completed: [],
  declined: [],
};

/** True when a case may move from `from` to `to`. */
export function canTransition(from: FamilyStatus, to: FamilyStatus): boolean {
  return transitions[from].includes(to);
}

/** The statuses a case may move to next. */
export function nextStatuses(from: FamilyStatus): readonly FamilyStatus[] {
  return transitions[from];
}
