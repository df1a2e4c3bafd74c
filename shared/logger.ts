import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One logger per process. It never receives request bodies, claims or path values — only route ids,
 * status codes and error classes — so no family data, token or address can reach the logs.
 */
export const logger = new Logger({
  serviceName: 'ikb-planner',
  logLevel: process.env.LOG_LEVEL === 'DEBUG' ? 'DEBUG' : process.env.LOG_LEVEL === 'SILENT' ? 'SILENT' : 'INFO',
});
