import { App, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { routeGroupOf, tableAccessOf } from '../../infra/stateless-stack.js';
import { allRoutes, methodsOf } from '../../shared/http/routes.js';

const cdkContext = (JSON.parse(readFileSync('cdk.json', 'utf8')) as { context: Record<string, unknown> }).context;

let stateful: Template;
let stateless: Template;
let built: ReturnType<typeof buildApp>;
let app: App;
/** The route groups' nested stacks of the stateless stack (the routes' functions, roles and log groups live there). */
let routeGroups: NestedStack[];
const templates = new Map<Stack, Template>();
function templateOf(stack: Stack): Template {
  let template = templates.get(stack);
  if (!template) templates.set(stack, (template = Template.fromStack(stack)));
  return template;
}
/** A construct's CloudFormation element: its logical id in its own stack (the stateless one or a route group's), and that stack's resources. */
function elementOf(construct: unknown): { logicalId: string; resources: Record<string, { Type: string; Properties: Record<string, unknown> }> } {
  const element = construct as CfnElement;
  const stack = Stack.of(element);
  return {
    logicalId: stack.getLogicalId(element),
    resources: templateOf(stack).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
  };
}

beforeAll(() => {
  // Bundling is skipped here (an empty bundling-stacks list); test/infra/bundle.test.ts bundles every entry for real.
  app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } });
  // A stand-in for Vite's output (the web app's real build is not needed to test the stacks).
  const webDist = mkdtempSync(join(tmpdir(), 'ikb-web-dist-'));
  mkdirSync(join(webDist, 'assets'));
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>IKB</title><script type="module" src="/assets/app-1a2b.js"></script>');
  writeFileSync(join(webDist, 'assets', 'app-1a2b.js'), 'console.log(1)');
  built = buildApp(app, { account: '123456789012', region: 'eu-north-1' }, { webDist });
  stateful = Template.fromStack(built.stateful);
  stateless = Template.fromStack(built.stateless);
  routeGroups = built.stateless.node.children.filter((c): c is NestedStack => NestedStack.isNestedStack(c));
});

type Resource = { Properties: Record<string, unknown>; DeletionPolicy?: string };
const resourcesOf = (t: Template, type: string) => Object.values(t.findResources(type)) as Resource[];

describe('CloudFormation limits', () => {
  it('keeps every stack within 500 resources, with room for more routes in the stateless stack (per route: its API route, integration and permission there; function, role, policy and log group in its group’s nested stack)', () => {
    const counts = new Map(
      app.node
        .findAll()
        .filter((c): c is Stack => Stack.isStack(c))
        .map((stack) => [stack.node.path, Object.keys(templateOf(stack).toJSON().Resources as object).length]),
    );
    expect(counts.size).toBe(2 + routeGroups.length);
    for (const [path, count] of counts) expect(count, path).toBeLessThanOrEqual(500);
    // At least 50 more routes fit before the stateless stack itself reaches the limit.
    expect(counts.get(built.stateless.node.path)).toBeLessThanOrEqual(500 - 50 * 3);
  });

  it('puts each route’s function in the nested stack of its first path segment', () => {
    for (const route of allRoutes)
      expect(Stack.of(built.stateless.functions.get(route.id)?.fn ?? built.stateless).node.id, route.id).toBe(routeGroupOf(route));
    expect(routeGroups.map((g) => g.node.id).sort()).toEqual([...new Set(allRoutes.map(routeGroupOf))].sort());
  });
});

describe('stateful stack', () => {
  it('keeps the table safe: PITR, deletion protection, RETAIN, customer-managed KMS key', () => {
    stateful.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    stateful.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            SSESpecification: { KMSMasterKeyId: Match.anyValue() },
          }),
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'gsi1' }), Match.objectLike({ IndexName: 'gsi2' })],
      }),
    });
    stateful.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
  });

  it('signs people in with Cognito: no self sign-up, MFA required, the three groups', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: Match.arrayWith([Match.objectLike({ Name: 'team_id' }), Match.objectLike({ Name: 'staff_id' })]),
    });
    // The pool's only client is the web app's (stateless stack: its callback URL is CloudFront's); web-stack.test.ts.
    stateful.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    const groups = resourcesOf(stateful, 'AWS::Cognito::UserPoolGroup').map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual(['admin', 'coordinator', 'therapist']);
  });
});

describe('stateless stack', () => {
  it('has one Node.js 24 arm64 function per route, each with its own log group and retention', () => {
    const key = (stack: Stack, logicalId: string) => `${stack.node.path}/${logicalId}`;
    const ours = new Set(
      [...built.stateless.functions.values(), ...built.stateless.scheduled.values()].map((f) =>
        key(Stack.of(f), elementOf(f.fn.node.defaultChild).logicalId),
      ),
    );
    const stacks = [built.stateless, ...routeGroups];
    const all = new Map(
      stacks.flatMap((stack) =>
        Object.entries(templateOf(stack).findResources('AWS::Lambda::Function') as Record<string, Resource>).map(
          ([id, fn]) => [key(stack, id), fn] as const,
        ),
      ),
    );
    // Besides ours, CDK's own deployment handlers: BucketDeployment (the web app's files) and AwsCustomResource (the API's CORS).
    const cdkOwn = [...all.keys()].filter((id) => !ours.has(id)).map((id) => id.slice(id.lastIndexOf('/') + 1));
    expect(cdkOwn).toHaveLength(2);
    expect(cdkOwn).toEqual(
      expect.arrayContaining([expect.stringMatching(/^CustomCDKBucketDeployment/), expect.stringMatching(/^AWS679f53fac002430cb0da5b7982bd2287/)]),
    );
    const functions = [...all.entries()].filter(([id]) => ours.has(id)).map(([, fn]) => fn);
    expect(functions).toHaveLength(allRoutes.length + built.stateless.scheduled.size);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
      expect(fn.Properties.LoggingConfig).toMatchObject({ LogFormat: 'JSON' });
    }
    for (const stack of stacks)
      for (const group of resourcesOf(templateOf(stack), 'AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it('routes every API route, with the Cognito JWT authorizer except the public ones', () => {
    const routes = resourcesOf(stateless, 'AWS::ApiGatewayV2::Route');
    const byKey = new Map(routes.map((r) => [r.Properties.RouteKey as string, r.Properties]));
    for (const route of allRoutes) {
      for (const method of methodsOf(route)) {
        const props = byKey.get(`${method} ${route.path}`);
        expect(props, `${method} ${route.path}`).toBeDefined();
        expect(props?.AuthorizationType).toBe(route.auth === 'public' ? 'NONE' : 'JWT');
      }
    }
    expect(routes).toHaveLength(allRoutes.reduce((n, r) => n + methodsOf(r).length, 0));
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
  });

  it('throttles the stage and logs route templates, never raw paths or query strings', () => {
    const stage = resourcesOf(stateless, 'AWS::ApiGatewayV2::Stage')[0];
    expect(stage?.Properties).toMatchObject({ StageName: '$default', DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 } });
    const format = (stage?.Properties.AccessLogSettings as { Format: string }).Format;
    expect(format).toContain('$context.routeKey');
    expect(format).not.toMatch(/\$context\.(path|requestOverride|identity\.sourceIp)|querystring/i);
  });

  it('grants each function only what its route needs: no Scan, no wildcards, read-only routes cannot write', () => {
    for (const route of allRoutes) {
      const role = built.stateless.functions.get(route.id)?.role;
      expect(role, route.id).toBeDefined();
      const policy = role?.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
      const { logicalId, resources } = policy ? elementOf(policy) : { logicalId: undefined, resources: {} };
      const statements =
        ((logicalId ? resources[logicalId]?.Properties.PolicyDocument : undefined) as { Statement: { Action: string | string[] }[] } | undefined)
          ?.Statement ?? [];
      const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
      const access = tableAccessOf(route);
      expect(
        actions.some((a) => a.includes('*')),
        route.id,
      ).toBe(false);
      expect(actions).not.toContain('dynamodb:Scan');
      if (access === 'none')
        expect(
          actions.filter((a) => a.startsWith('dynamodb:')),
          route.id,
        ).toEqual([]);
      if (access !== 'none') expect(actions, route.id).toContain('dynamodb:Query');
      if (access === 'read') expect(actions, route.id).not.toContain('dynamodb:PutItem');
      if (access === 'readWrite') expect(actions, route.id).toContain('dynamodb:PutItem');
      // The Idempotency-Key record (shared/store/idempotency.ts) is taken and completed (UpdateItem, also inside the write's transaction), read and released.
      if (route.idempotent)
        expect(actions, route.id).toEqual(
          expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']),
        );
    }
  });
});

describe('calendar feed route', () => {
  const feedKey = 'GET /calendar/{file}';
  const headKey = 'HEAD /calendar/{file}';
  const actionsOf = (routeId: string): string[] => {
    const policy = built.stateless.functions.get(routeId)?.role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    expect(policy, routeId).toBeDefined();
    const { logicalId, resources } = elementOf(policy);
    const statements =
      (resources[logicalId]?.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] } | undefined)?.Statement ?? [];
    return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
  };

  it('is a public route (no authorizer) on its own function, acknowledged for APIG4 with the feed’s own reason', () => {
    const route = resourcesOf(stateless, 'AWS::ApiGatewayV2::Route').find((r) => r.Properties.RouteKey === feedKey);
    expect(route?.Properties).toMatchObject({ AuthorizationType: 'NONE' });
    templateOf(Stack.of(built.stateless.functions.get('calendarFeed') ?? built.stateless)).hasResourceProperties('AWS::Lambda::Function', {
      Description: feedKey,
    });
    const construct = built.stateless.api.node.tryFindChild(`GET/calendar/{file}`);
    const acks = (construct?.node.metadata ?? [])
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .map((m) => JSON.stringify(m.data));
    expect(acks.join()).toContain('calendar feed');
  });

  it('answers HEAD through its own route to the same function, public and acknowledged like GET', () => {
    const routes = resourcesOf(stateless, 'AWS::ApiGatewayV2::Route');
    const get = routes.find((r) => r.Properties.RouteKey === feedKey);
    const head = routes.find((r) => r.Properties.RouteKey === headKey);
    expect(head?.Properties).toMatchObject({ AuthorizationType: 'NONE' });
    expect(head?.Properties.Target).toEqual(get?.Properties.Target);
    const construct = built.stateless.api.node.tryFindChild(`HEAD/calendar/{file}`);
    const acks = (construct?.node.metadata ?? [])
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .map((m) => JSON.stringify(m.data));
    expect(acks.join()).toContain('calendar feed');
    expect(routes.filter((r) => String(r.Properties.RouteKey).startsWith('HEAD '))).toHaveLength(1);
  });

  it('may read the table (GetItem, Query) but never write it or encrypt with the key', () => {
    const actions = actionsOf('calendarFeed');
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'kms:Decrypt']));
    for (const write of [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'kms:Encrypt',
      'kms:GenerateDataKey',
    ])
      expect(actions).not.toContain(write);
    expect(actionsOf('issueCalendarToken')).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:DeleteItem']));
    expect(actionsOf('revokeCalendarToken')).toContain('dynamodb:DeleteItem');
  });

  it('is throttled per route below the stage default, and the stage is created after the route it names', () => {
    const stages = stateless.findResources('AWS::ApiGatewayV2::Stage') as Record<string, Resource & { DependsOn?: string[] }>;
    const [stage] = Object.values(stages);
    const settings = (stage?.Properties.RouteSettings ?? {}) as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    expect(Object.keys(settings).sort()).toEqual([feedKey, headKey]);
    expect(settings[feedKey]).toEqual({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 });
    expect(settings[headKey]).toEqual(settings[feedKey]);
    const defaults = stage?.Properties.DefaultRouteSettings as { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
    expect(settings[feedKey]?.ThrottlingRateLimit).toBeLessThan(defaults.ThrottlingRateLimit);
    expect(settings[feedKey]?.ThrottlingBurstLimit).toBeLessThan(defaults.ThrottlingBurstLimit);
    const routeIds = [feedKey, headKey].flatMap((key) =>
      Object.entries(stateless.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: key } })).map(([id]) => id),
    );
    expect(routeIds).toHaveLength(2);
    expect(stage?.DependsOn).toEqual(expect.arrayContaining(routeIds));
  });
});

describe('scheduled jobs', () => {
  it('extends meeting series daily through an EventBridge rule with retries', () => {
    const fn = built.stateless.scheduled.get('extendMeetingSeries')?.fn.node.defaultChild;
    expect(fn).toBeDefined();
    const logicalId = built.stateless.getLogicalId(fn as CfnElement);
    stateless.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
  });
});

describe('purge job', () => {
  it('runs daily at 03:00 UTC through EventBridge with retries and a dead-letter queue', () => {
    const fn = built.stateless.scheduled.get('purgePersonalData')?.fn.node.defaultChild;
    const dlq = built.stateless.purgeDlq?.node.defaultChild;
    expect(fn && dlq).toBeTruthy();
    const fnId = built.stateless.getLogicalId(fn as CfnElement);
    stateless.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [built.stateless.getLogicalId(dlq as CfnElement), 'Arn'] } },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
        }),
      ],
    });
    stateless.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('^Removes personal data'), Timeout: 900 });
  });

  it('may read, write and delete table items but nothing else, and an alarm watches its errors', () => {
    const role = built.stateless.scheduled.get('purgePersonalData')?.role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    const policy = stateless.toJSON().Resources[built.stateless.getLogicalId(role as CfnElement)] as {
      Properties: { PolicyDocument: { Statement: { Action: string | string[] }[] } };
    };
    const actions = policy.Properties.PolicyDocument.Statement.flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:Query']));
    expect(
      actions.filter((a) => a.startsWith('dynamodb:')).some((a) => a.includes('*') || a === 'dynamodb:Scan' || a === 'dynamodb:DeleteTable'),
    ).toBe(false);
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('^The daily purge failed'),
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'fnErrors + teamErrors' })]),
    });
  });

  it('the table expires reminder records by TTL on expiresAt (send time + 90 days)', () => {
    stateful.hasResourceProperties('AWS::DynamoDB::GlobalTable', { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
  });
});

describe('reminder dispatcher', () => {
  it('runs every minute with retries and a dead-letter queue that enforces TLS', () => {
    const fn = built.stateless.scheduled.get('dispatchReminders')?.fn.node.defaultChild;
    const dlq = built.stateless.dispatchDlq?.node.defaultChild;
    expect(fn && dlq).toBeTruthy();
    stateless.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [built.stateless.getLogicalId(fn as CfnElement), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [built.stateless.getLogicalId(dlq as CfnElement), 'Arn'] } },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
        }),
      ],
    });
    stateless.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('may send e-mail only from its identity and address, and SMS only with its sender ID', () => {
    const role = built.stateless.scheduled.get('dispatchReminders')?.role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    const policy = stateless.toJSON().Resources[built.stateless.getLogicalId(role as CfnElement)] as {
      Properties: { PolicyDocument: { Statement: { Action: string | string[]; Condition?: unknown; Resource: unknown }[] } };
    };
    const statements = policy.Properties.PolicyDocument.Statement;
    const ses = statements.find((st) => JSON.stringify(st.Action).includes('ses:SendEmail'));
    expect(ses?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'planner@ikb.example.org' } });
    expect(JSON.stringify(ses?.Resource)).toContain(':identity/ikb.example.org');
    const sms = statements.find((st) => JSON.stringify(st.Action).includes('sms-voice:SendTextMessage'));
    expect(JSON.stringify(sms?.Resource)).toContain(':sender-id/IKB/SE');
  });

  it('raises alarms on failed reminders, dispatcher errors and dead letters', () => {
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'IkbPlanner',
      MetricName: 'RemindersFailed',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda' });
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS' });
    // Every alarm notifies the operators' encrypted topic.
    const topic = built.stateless.alarmTopic?.node.defaultChild;
    const topicRef = { Ref: built.stateless.getLogicalId(topic as CfnElement) };
    const alarms = resourcesOf(stateless, 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(4);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
    stateless.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('has zero unacknowledged findings, and every acknowledgment carries a reason', () => {
    const report = built.nag.validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    const acknowledgments = app.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.values(m.data as Record<string, { reason?: string } | string>));
    expect(acknowledgments.length).toBeGreaterThan(0);
    for (const ack of acknowledgments) {
      const reason = typeof ack === 'string' ? ack : ack.reason;
      expect(reason?.length ?? 0).toBeGreaterThan(30);
    }
  });
});
