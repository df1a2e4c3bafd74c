import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { fixedClock, setDefaultClock } from '../shared/use-cases/deps.js';

// Runs before each test file's imports: the handler modules read these at load, as a Lambda does at cold start.
// The unit project has no DynamoDB Local (nothing there may reach a store).
const dynamoEndpoint = inject('dynamoEndpoint') as string | undefined;
if (dynamoEndpoint) process.env.DYNAMODB_ENDPOINT = dynamoEndpoint;
// One table name per worker process. Where files share a worker (`isolate: false`), the handler modules are loaded
// once and keep the name they read first; each file still creates the table in beforeAll and drops it in afterAll
// (useTable), so every file starts from an empty table and files never share state.
process.env.TABLE_NAME ||= `test-${randomUUID()}`;
process.env.AWS_REGION = 'eu-north-1';
process.env.LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
// A fixed "now" (Monday 23 November 2026, 09:00 in Stockholm), so dates relative to today never drift: set on the
// production wiring's clock (defaultDeps), and in IKB_FIXED_CLOCK for the processes a test starts (crash-child.ts).
process.env.IKB_FIXED_CLOCK = '2026-11-23T08:00:00.000Z';
setDefaultClock(fixedClock(process.env.IKB_FIXED_CLOCK));
// Staff records get no sign-in unless a test file asks for one (the sign-in tests set local mode themselves): many
// files add the same staff ids and e-mails to several teams, which one sign-in directory would rightly refuse.
process.env.SIGN_IN_MODE ??= 'off';
