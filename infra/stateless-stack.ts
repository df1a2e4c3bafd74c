import { CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnStage, CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { allRoutes, handlerFileOf } from '../shared/http/routes.js';
import type { RouteDef } from '../shared/http/routes.js';
import { tableDesign } from '../shared/store/table-design.js';
import { ApiFunction } from './constructs/api-function.js';

export interface StatelessStackProps extends StackProps {
  table: ITableV2;
  key: IKey;
  userPool: IUserPool;
  userPoolClient: IUserPoolClient;
  /** Origins allowed by CORS (a web client's URL); none by default. */
  allowedOrigins?: string[];
}

/** What the function behind a route may do with the table. */
export function tableAccessOf(route: RouteDef): 'none' | 'read' | 'readWrite' {
  if (route.tableAccess) return route.tableAccess;
  if (route.auth === 'public') return 'none';
  return route.method === 'GET' ? 'read' : 'readWrite';
}

/** The HTTP API and one Lambda function per route, generated from the same route table the local server uses. */
export class StatelessStack extends Stack {
  readonly api: HttpApi;
  readonly functions = new Map<string, ApiFunction>();
  /** Functions run on a schedule rather than by a route. */
  readonly scheduled = new Map<string, ApiFunction>();

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);

    const authorizer = new HttpUserPoolAuthorizer('Cognito', props.userPool, { userPoolClients: [props.userPoolClient], identitySource: ['$request.header.Authorization'] });
    this.api = new HttpApi(this, 'Api', {
      description: 'IKB Planner',
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
      ...(props.allowedOrigins?.length
        ? { corsPreflight: { allowOrigins: props.allowedOrigins, allowHeaders: ['authorization', 'content-type', 'if-none-match'], allowMethods: [CorsHttpMethod.ANY], maxAge: Duration.hours(1) } }
        : {}),
    });

    // Access logs name the route template, never the raw path or query: no codes or tokens in logs.
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    for (const route of allRoutes) {
      const file = handlerFileOf(route.id);
      const fn = new ApiFunction(this, `Fn-${route.id}`, { entry: `functions/${file}.ts`, description: `${route.method} ${route.path}` });
      const access = tableAccessOf(route);
      if (access !== 'none') fn.bindTable(props.table, props.key, tableDesign.indexes.map((i) => i.name), access);
      this.functions.set(route.id, fn);
      this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`Int-${route.id}`, fn.fn),
        ...(route.auth === 'public' ? { authorizer: new HttpNoneAuthorizer() } : {}),
      });
    }
    for (const route of allRoutes.filter((r) => r.auth === 'public')) {
      const routeConstruct = this.api.node.tryFindChild(`${route.method}${route.path}`);
      if (routeConstruct) {
        Validations.of(routeConstruct).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: route.publicReason ?? `${route.method} ${route.path} is public by design: it returns no team data (health check or the API description).`,
        });
      }
    }

    // Per-route throttles below the stage default (the public calendar feed): the L2 stage has no per-route
    // setting, so they go on the L1 stage, which must then be created after the routes it names.
    const throttled = allRoutes.flatMap((route) => (route.throttle ? [{ route, throttle: route.throttle }] : []));
    const cfnStage = stage.node.defaultChild;
    if (throttled.length > 0 && cfnStage instanceof CfnStage) {
      cfnStage.routeSettings = Object.fromEntries(
        throttled.map(({ route, throttle }) => [`${route.method} ${route.path}`, { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit }]),
      );
      for (const { route } of throttled) {
        const routeConstruct = this.api.node.tryFindChild(`${route.method}${route.path}`);
        if (routeConstruct) stage.node.addDependency(routeConstruct);
      }
    }

    // Daily at 02:00 UTC: book meeting-series occurrences up to 26 weeks ahead.
    const extendSeries = new ApiFunction(this, 'Fn-extendMeetingSeries', { entry: 'functions/extend-meeting-series.ts', description: 'Books meeting-series occurrences 26 weeks ahead', timeout: Duration.minutes(5) });
    extendSeries.bindTable(props.table, props.key, tableDesign.indexes.map((i) => i.name), 'readWrite');
    new Rule(this, 'ExtendSeriesDaily', { schedule: Schedule.cron({ hour: '2', minute: '0' }), targets: [new LambdaFunction(extendSeries.fn, { retryAttempts: 2 })] });
    this.scheduled.set('extendMeetingSeries', extendSeries);

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
  }
}
