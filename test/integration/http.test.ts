import { describe, expect, it } from 'vitest';
import { allRoutes } from '../../shared/http/routes.js';
import { admin, call, useTable } from '../helpers/api.js';

useTable();

describe('HTTP contract', () => {
  it('reports health', async () => {
    const res = await call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok' });
  });

  it('publishes an OpenAPI 3.1 document listing every route, generated from the schemas', async () => {
    const res = await call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { operationId: string; requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }>
      >;
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const route of allRoutes) {
      expect(doc.paths[route.path]?.[route.method.toLowerCase()]?.operationId, `${route.method} ${route.path}`).toBe(route.id);
    }
    const createFamily = doc.paths['/families']?.post?.requestBody?.content['application/json']?.schema;
    expect(Object.keys(createFamily?.properties ?? {})).toEqual(expect.arrayContaining(['code', 'place', 'familyTherapist', 'windows']));
  });

  it('answers malformed JSON with a 400, not a stack trace', async () => {
    const res = await call('POST', '/teams', { as: admin, rawBody: '{"id": "x",' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: 'invalid', message: expect.any(String), fields: [{ path: '(body)', message: 'body is not valid JSON' }] },
    });
  });

  it('answers a body without a JSON content type with a 400', async () => {
    const res = await call('POST', '/teams', { as: admin, rawBody: 'id=x', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(400);
  });

  it('rejects unknown fields (e.g. a name) instead of storing them', async () => {
    const res = await call('POST', '/teams', {
      as: admin,
      body: { id: 'x1', name: 'X', places: ['A'], travelMinutes: { A: { A: 5 } }, secret: 'y' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { fields: [{ path: '(root)' }] } });
  });
});
