import type { Server } from 'node:http';
import { join } from 'node:path';
import { allRoutes } from '../../shared/http/routes.js';
import { createDb } from '../../shared/store/client.js';
import { ensureTable } from '../../shared/store/create-table.js';
import { defaultDeps } from '../../shared/use-cases/deps.js';
import { loadOrCreateKey, signDevToken } from './dev-tokens.js';
import type { DevIdentity } from './dev-tokens.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { demoIdentities, seedDemo } from './seed.js';

/** Everything `npm start` runs, as one object the smoke test can start and stop too. */
export interface LocalSystem {
  url: string;
  dynamoEndpoint: string;
  tokens: { identity: DevIdentity; token: string }[];
  seed: 'seeded' | 'already-seeded';
  stop: () => Promise<void>;
}

/** Where `npm start` keeps its data and signing key (git-ignored); IKB_LOCAL_DIR moves it, e.g. for the smoke test. */
export const localDir = process.env.IKB_LOCAL_DIR ?? join(process.cwd(), '.local');
export const tableName = 'ikb-planner-local';

/**
 * Starts DynamoDB Local (on disk under `dataDir`, or in memory), creates the table, seeds the demo team,
 * and serves the API on `port` (0 = any free port).
 */
export async function startLocalSystem(options: { port: number; dataDir?: string; keyPath: string }): Promise<LocalSystem> {
  const dynamo = await startDynamoDbLocal(options.dataDir ? { dbPath: options.dataDir } : {});
  try {
    // The handler modules read their configuration from the environment at load, as in Lambda.
    process.env.TABLE_NAME = tableName;
    process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
    process.env.AWS_REGION ??= 'eu-north-1';
    const db = createDb({ tableName, endpoint: dynamo.endpoint });
    await ensureTable(db);
    const seed = await seedDemo({ ...defaultDeps(), db });
    // The daily meeting-series job, as EventBridge runs it in AWS: once now, then every 24 hours.
    const { core: extendSeries } = await import('../../functions/extend-meeting-series.js');
    await extendSeries();
    const daily = setInterval(() => void extendSeries().catch(() => undefined), 24 * 3600_000);
    daily.unref();
    const { handlers } = await import('./handlers.js');
    const { createApiServer } = await import('./server.js');
    const key = loadOrCreateKey(options.keyPath);
    const server: Server = createApiServer({ routes: allRoutes, handlers, key });
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : options.port);
      });
    });
    const tokens = await Promise.all(demoIdentities().map(async (identity) => ({ identity, token: await signDevToken(key, identity) })));
    return {
      url: `http://localhost:${port}`,
      dynamoEndpoint: dynamo.endpoint,
      tokens,
      seed,
      stop: async () => {
        clearInterval(daily);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await dynamo.stop();
      },
    };
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
}
