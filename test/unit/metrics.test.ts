import { describe, expect, it } from 'vitest';
import { publishCounts } from '../../shared/http/metrics.js';

/** The lines written to stdout while `act` runs. */
function stdoutOf(act: () => void): string[] {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => (lines.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    act();
  } finally {
    process.stdout.write = write;
  }
  return lines;
}

describe('publishCounts (Powertools metrics)', () => {
  it('writes one EMF line in the IkbPlanner namespace, without dimensions, as the alarms address the metrics', () => {
    const lines = stdoutOf(() => publishCounts({ RemindersSent: 3, RemindersFailed: 0 }));
    expect(lines).toHaveLength(1);
    const emf = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(emf).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: 'IkbPlanner',
            Dimensions: [[]],
            Metrics: [
              { Name: 'RemindersSent', Unit: 'Count' },
              { Name: 'RemindersFailed', Unit: 'Count' },
            ],
          },
        ],
      },
      RemindersSent: 3,
      RemindersFailed: 0,
    });
  });

  it('writes nothing for no counts, and starts afresh after each publication', () => {
    expect(stdoutOf(() => publishCounts({}))).toEqual([]);
    const [line] = stdoutOf(() => publishCounts({ PurgeTeamErrors: 1 }));
    expect(JSON.parse(line ?? '')).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Dimensions: [[]], Metrics: [{ Name: 'PurgeTeamErrors', Unit: 'Count' }] }] },
      PurgeTeamErrors: 1,
    });
    expect(JSON.parse(line ?? '')).not.toHaveProperty('RemindersSent');
  });
});
