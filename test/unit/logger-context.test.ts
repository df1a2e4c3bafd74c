import { describe, expect, it } from 'vitest';
import { httpEvent, lambdaContext } from '../../infra/local/http-event.js';
import { httpHandler } from '../../shared/http/handler.js';
import { logger } from '../../shared/logger.js';
import { allRoutes } from '../../shared/http/routes.js';

describe('the logger in a handler', () => {
  it('writes the Lambda context (request id, function) into every line of the request', async () => {
    const route = allRoutes.find((r) => r.id === 'health');
    if (!route) throw new Error('no health route');
    const handler = httpHandler(route, () => Promise.reject(new Error('boom')));
    const context = { ...lambdaContext('health'), awsRequestId: 'request-1234' };
    const lines: string[] = [];
    const streams = [process.stdout, process.stderr] as const;
    const writes = streams.map((stream) => stream.write.bind(stream));
    for (const stream of streams) stream.write = ((chunk: string | Uint8Array) => (lines.push(String(chunk)), true)) as typeof stream.write;
    logger.setLogLevel('INFO');
    try {
      const response = await handler(httpEvent({ route, path: '/health', pathParameters: {} }), context);
      expect(response.statusCode).toBe(500);
    } finally {
      logger.setLogLevel('SILENT');
      streams.forEach((stream, i) => (stream.write = writes[i] ?? stream.write));
    }
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['message'] === 'request failed');
    expect(logged).toMatchObject({ function_request_id: 'request-1234', function_name: 'health', route: 'health', errorName: 'Error' });
  });
});
