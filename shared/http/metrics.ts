import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * One Powertools Metrics per process: CloudWatch metrics through the Embedded Metric Format, one JSON line on stdout
 * that Lambda ships to CloudWatch Logs and CloudWatch turns into metrics (no API call, no extra permission).
 * `POWERTOOLS_METRICS_DISABLED=true` keeps them quiet (`npm start` sets it unless asked otherwise).
 */
const metrics = new Metrics({ namespace: 'IkbPlanner', serviceName: 'ikb-planner' });
// The alarms and dashboards (infra/stateless-stack.ts) address these metrics without dimensions: no `service` default
// dimension, and each publication carries one empty dimension set (`Dimensions: [[]]`).
metrics.clearDefaultDimensions();

/** Publishes counts (unit Count) as one EMF line in the IkbPlanner namespace, without dimensions. */
export function publishCounts(counts: Record<string, number>): void {
  const entries = Object.entries(counts);
  if (entries.length === 0) return;
  metrics.addDimensions({});
  for (const [name, value] of entries) metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics();
}
