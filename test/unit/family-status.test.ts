import { describe, expect, it } from 'vitest';
import { canTransition } from '../../shared/domain/family-status.js';
import { treatmentEndDate } from '../../shared/domain/treatment.js';
import { FamilyStatus } from '../../shared/schemas/family.js';

describe('family status transitions', () => {
  const legal = new Set(['referred>accepted', 'referred>declined', 'accepted>active', 'accepted>declined', 'active>completed']);
  const statuses = FamilyStatus.options;
  it.each(statuses.flatMap((from) => statuses.map((to) => [from, to] as const)))('%s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(legal.has(`${from}>${to}`));
  });
});

describe('treatment end', () => {
  it('is the day before the same weekday 16 weeks later, across the March DST change', () => {
    expect(treatmentEndDate('2026-11-23', 16, 'Europe/Stockholm')).toBe('2027-03-14');
    expect(treatmentEndDate('2027-03-01', 8, 'Europe/Stockholm')).toBe('2027-04-25');
  });
});
