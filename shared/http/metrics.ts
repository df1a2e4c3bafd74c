/**
 * Publishes counts as CloudWatch metrics through the Embedded Metric Format: one JSON line on stdout, which
 * Lambda ships to CloudWatch Logs and CloudWatch turns into metrics (no API call, no extra permission).
 */
export function publishCounts(namespace: string, counts: Record<string, number>, print: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): void {
  const names = Object.keys(counts);
  if (names.length === 0) return;
  print(
    JSON.stringify({
      _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[]], Metrics: names.map((name) => ({ Name: name, Unit: 'Count' })) }] },
      ...counts,
    }),
  );
}
