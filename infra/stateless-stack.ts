import { CfnOutput, Duration, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnStage, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { CfnManagedLoginBranding, ClientAttributes, OAuthScope, UserPoolClient, UserPoolClientIdentityProvider } from 'aws-cdk-lib/aws-cognito';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Alarm, MathExpression, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { allRoutes, handlerFileOf, methodsOf } from '../shared/http/routes.js';
import type { RouteDef } from '../shared/http/routes.js';
import { tableDesign } from '../shared/store/table-design.js';
import { ApiFunction } from './constructs/api-function.js';
import { WebApp, acknowledgeCdkProvidedFunctions } from './constructs/web-app.js';
import type { WebConfig } from './web-headers.js';

/** The routes whose functions manage staff sign-ins in the user pool (shared/identity, SIGN_IN_MODE=cognito). */
export const SIGN_IN_ROUTES: ReadonlySet<string> = new Set(['createStaff', 'updateStaff', 'deactivateStaff']);

/** The Cognito admin actions those functions may call, on the one user pool: nothing else of the admin API. */
export const SIGN_IN_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminRemoveUserFromGroup',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
] as const;

/** Headers the web app sends to the API (CORS preflight). */
export const API_CORS_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'if-none-match', 'if-modified-since'];

/** Where reminders and invitations come from (an SES-verified identity) and the SMS sender ID. */
export interface NotifySettings {
  mailFrom: string;
  /** The SES identity that may send: a domain (ikb.example.org) or the From address itself. */
  sesIdentity: string;
  smsSenderId: string;
  /** ISO country the sender ID is registered for. */
  smsCountry: string;
}

export interface StatelessStackProps extends StackProps {
  notify?: NotifySettings;
  table: ITableV2;
  key: IKey;
  userPool: IUserPool;
  /** The pool's managed-login domain, where the web app signs people in. */
  userPoolDomain: UserPoolDomain;
  /** The built web app (index.html and assets/), served by CloudFront. */
  web: { distDir: string };
}

/** What the function behind a route may do with the table. */
export function tableAccessOf(route: RouteDef): 'none' | 'read' | 'readWrite' {
  if (route.tableAccess) return route.tableAccess;
  if (route.auth === 'public') return 'none';
  return route.method === 'GET' ? 'read' : 'readWrite';
}

/**
 * The nested stack a route's function, role and log group live in: one per first path segment (`/visits/{id}/cancel`
 * → `Routes-visits`), so a stack never nears CloudFormation's 500 resources and adding a route moves no other function.
 * The API, its routes, integrations and invoke permissions stay in the stateless stack itself.
 */
export const routeGroupOf = (route: RouteDef): string => `Routes-${route.path.split('/')[1] ?? 'root'}`;

/** The HTTP API and one Lambda function per route, generated from the same route table the local server uses. */
export class StatelessStack extends Stack {
  readonly api: HttpApi;
  readonly functions = new Map<string, ApiFunction>();
  /** Functions run on a schedule rather than by a route. */
  readonly scheduled = new Map<string, ApiFunction>();
  readonly web: WebApp;
  /** The web app's client of the user pool: authorization code + PKCE, no secret. Its ID tokens are what the API accepts. */
  readonly webClient: UserPoolClient;
  /** What config.json says (tokens until deployed). */
  readonly webConfig: WebConfig;
  dispatchDlq: Queue | undefined;
  purgeDlq: Queue | undefined;
  alarmTopic: Topic | undefined;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);

    this.api = new HttpApi(this, 'Api', { description: 'IKB Planner', createDefaultStage: false });

    // The web app and its sign-in. CloudFront's CSP names the API and Cognito; the app client's callback and the
    // API's CORS name CloudFront's URL.
    const region = Stack.of(this).region;
    const cognitoIdp = `https://cognito-idp.${region}.amazonaws.com`;
    const managedLogin = props.userPoolDomain.baseUrl();
    this.web = new WebApp(this, 'Web', { distDir: props.web.distDir, origins: { api: this.api.apiEndpoint, auth: [cognitoIdp, managedLogin] } });
    const appUrl = `${this.web.url}/`;
    this.webClient = new UserPoolClient(this, 'WebClient', {
      userPool: props.userPool,
      userPoolClientName: 'ikb-planner-web',
      // A public client in the browser: no secret; the app uses PKCE (S256) on the authorization-code flow.
      generateSecret: false,
      // Only refresh; sign-in itself happens on the managed login pages (no SRP or password flows from scripts).
      authFlows: { userSrp: false },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [appUrl],
        logoutUrls: [appUrl],
        defaultRedirectUri: appUrl,
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // Short ID tokens: a deactivated person's last token stops working within 15 minutes (their refresh is revoked at once).
      idTokenValidity: Duration.minutes(15),
      accessTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.days(30),
      // Team and staff id decide what a person may see: readable in the ID token, never writable through this client
      // (and its tokens lack the aws.cognito.signin.user.admin scope, so no attribute can be changed with them at all).
      // Only the staff functions set them, through the admin API.
      readAttributes: new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true }).withCustomAttributes('team_id', 'staff_id'),
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
    });
    new CfnManagedLoginBranding(this, 'ManagedLoginStyle', {
      userPoolId: props.userPool.userPoolId,
      clientId: this.webClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    // The app sends the ID token (custom:team_id, custom:staff_id, cognito:groups); its audience is this client.
    const authorizer = new HttpUserPoolAuthorizer('Cognito', props.userPool, {
      userPoolClients: [this.webClient],
      identitySource: ['$request.header.Authorization'],
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
      // The planner's exact phase may take up to 20 s on a national week; API Gateway waits 30 s at most.
      const solver = route.solver ? { solver: true, timeout: Duration.seconds(29) } : {};
      const group = this.routeGroup(routeGroupOf(route));
      const fn = new ApiFunction(group, `Fn-${route.id}`, { entry: `functions/${file}.ts`, description: `${route.method} ${route.path}`, ...solver });
      const access = tableAccessOf(route);
      if (access !== 'none')
        fn.bindTable(
          props.table,
          props.key,
          tableDesign.indexes.map((i) => i.name),
          access,
        );
      if (SIGN_IN_ROUTES.has(route.id)) {
        fn.fn.addEnvironment('SIGN_IN_MODE', 'cognito');
        fn.fn.addEnvironment('USER_POOL_ID', props.userPool.userPoolId);
        fn.role.addToPolicy(new PolicyStatement({ actions: [...SIGN_IN_ACTIONS], resources: [props.userPool.userPoolArn] }));
      }
      this.functions.set(route.id, fn);
      this.api.addRoutes({
        path: route.path,
        // HTTP API routes are per method: a route that answers HEAD gets its own `HEAD <path>` route to the same function.
        methods: methodsOf(route).map((m) => HttpMethod[m]),
        integration: new HttpLambdaIntegration(`Int-${route.id}`, fn.fn),
        authorizer: route.auth === 'public' ? new HttpNoneAuthorizer() : authorizer,
      });
    }
    for (const route of allRoutes.filter((r) => r.auth === 'public')) {
      for (const method of methodsOf(route)) {
        const routeConstruct = this.api.node.tryFindChild(`${method}${route.path}`);
        if (routeConstruct) {
          Validations.of(routeConstruct).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason:
              route.publicReason ??
              `${route.method} ${route.path} is public by design: it returns no team data (health check or the API description).`,
          });
        }
      }
    }

    // Per-route throttles below the stage default (the public calendar feed): the L2 stage has no per-route
    // setting, so they go on the L1 stage, which must then be created after the routes it names.
    const throttled = allRoutes.flatMap((route) => (route.throttle ? [{ route, throttle: route.throttle }] : []));
    const cfnStage = stage.node.defaultChild;
    if (throttled.length > 0 && cfnStage instanceof CfnStage) {
      cfnStage.routeSettings = Object.fromEntries(
        throttled.flatMap(({ route, throttle }) =>
          methodsOf(route).map((method) => [
            `${method} ${route.path}`,
            { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit },
          ]),
        ),
      );
      for (const { route } of throttled) {
        for (const method of methodsOf(route)) {
          const routeConstruct = this.api.node.tryFindChild(`${method}${route.path}`);
          if (routeConstruct) stage.node.addDependency(routeConstruct);
        }
      }
    }

    // Daily at 02:00 UTC: book meeting-series occurrences up to 26 weeks ahead.
    const extendSeries = new ApiFunction(this, 'Fn-extendMeetingSeries', {
      entry: 'functions/extend-meeting-series.ts',
      description: 'Books meeting-series occurrences 26 weeks ahead',
      timeout: Duration.minutes(5),
    });
    extendSeries.bindTable(
      props.table,
      props.key,
      tableDesign.indexes.map((i) => i.name),
      'readWrite',
    );
    new Rule(this, 'ExtendSeriesDaily', {
      schedule: Schedule.cron({ hour: '2', minute: '0' }),
      targets: [new LambdaFunction(extendSeries.fn, { retryAttempts: 2 })],
    });
    this.scheduled.set('extendMeetingSeries', extendSeries);

    this.addReminderDispatcher(props);
    this.addPurgeJob(props);

    // CORS: exactly the web app's origin. Set after both exist, by a custom resource (UpdateApi), because CloudFront's
    // CSP names the API: the API naming CloudFront in its own properties would make the two depend on each other.
    const corsConfiguration = {
      AllowOrigins: [this.web.url],
      AllowHeaders: API_CORS_HEADERS,
      AllowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      ExposeHeaders: ['etag', 'last-modified', 'location'],
      MaxAge: 3600,
    };
    const apiArn = `arn:${Stack.of(this).partition}:apigateway:${region}::/apis/${this.api.apiId}`;
    new AwsCustomResource(this, 'ApiCors', {
      resourceType: 'Custom::ApiCors',
      onCreate: {
        service: 'ApiGatewayV2',
        action: 'UpdateApi',
        parameters: { ApiId: this.api.apiId, CorsConfiguration: corsConfiguration },
        physicalResourceId: PhysicalResourceId.of(`${this.api.apiId}-cors`),
      },
      onUpdate: {
        service: 'ApiGatewayV2',
        action: 'UpdateApi',
        parameters: { ApiId: this.api.apiId, CorsConfiguration: corsConfiguration },
        physicalResourceId: PhysicalResourceId.of(`${this.api.apiId}-cors`),
      },
      onDelete: { service: 'ApiGatewayV2', action: 'DeleteCorsConfiguration', parameters: { ApiId: this.api.apiId } },
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['apigateway:PATCH'], resources: [apiArn] }),
        new PolicyStatement({ actions: ['apigateway:DELETE'], resources: [`${apiArn}/cors`] }),
      ]),
      installLatestAwsSdk: false,
    });

    // config.json: written at deploy time, so the same build serves every stage.
    const clientId = this.webClient.userPoolClientId;
    this.webConfig = {
      apiUrl: this.api.apiEndpoint,
      oidc: {
        authority: `${cognitoIdp}/${props.userPool.userPoolId}`,
        clientId,
        scope: 'openid email profile',
        // Cognito has no end_session_endpoint in its discovery document: its /logout ends the managed-login session.
        signOutUrl: `${managedLogin}/logout?client_id=${clientId}&logout_uri=https%3A%2F%2F${this.web.distribution.distributionDomainName}%2F`,
      },
    };
    this.web.writeConfig(this.webConfig);
    acknowledgeCdkProvidedFunctions(this);

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'WebUrl', { value: appUrl });
  }

  /**
   * The reminder dispatcher: every minute (EventBridge), with a dead-letter queue for invocations that keep
   * failing, least-privilege SES and SMS grants, and alarms on failed reminders, dispatcher errors and the DLQ.
   */
  private addReminderDispatcher(props: StatelessStackProps): void {
    const notify: NotifySettings = props.notify ?? {
      mailFrom: 'planner@ikb.example.org',
      sesIdentity: 'ikb.example.org',
      smsSenderId: 'IKB',
      smsCountry: 'SE',
    };
    const dispatcher = new ApiFunction(this, 'Fn-dispatchReminders', {
      entry: 'functions/dispatch-reminders.ts',
      description: 'Sends due reminders, change notices and invitations',
      timeout: Duration.seconds(55),
      environment: { MAIL_FROM: notify.mailFrom, SMS_MODE: 'aws', SMS_ORIGINATOR: notify.smsSenderId },
    });
    dispatcher.bindTable(
      props.table,
      props.key,
      tableDesign.indexes.map((i) => i.name),
      'readWrite',
    );
    const region = Stack.of(this).region;
    const account = Stack.of(this).account;
    dispatcher.role.addToPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [`arn:${Stack.of(this).partition}:ses:${region}:${account}:identity/${notify.sesIdentity}`],
        conditions: { StringEquals: { 'ses:FromAddress': notify.mailFrom } },
      }),
    );
    dispatcher.role.addToPolicy(
      new PolicyStatement({
        actions: ['sms-voice:SendTextMessage'],
        resources: [`arn:${Stack.of(this).partition}:sms-voice:${region}:${account}:sender-id/${notify.smsSenderId}/${notify.smsCountry}`],
      }),
    );
    this.dispatchDlq = new Queue(this, 'DispatchDlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.dispatchDlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the dispatcher schedule; a DLQ of a DLQ would only move the same events again.',
    });
    new Rule(this, 'DispatchEveryMinute', {
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(dispatcher.fn, { retryAttempts: 2, maxEventAge: Duration.minutes(5), deadLetterQueue: this.dispatchDlq })],
    });
    this.scheduled.set('dispatchReminders', dispatcher);

    // Alarms notify the operators' topic (subscribe e-mail or chat to it after deploying).
    // CloudWatch cannot publish to a topic under the AWS-managed SNS key, so the topic has its own key that CloudWatch may use.
    const alarmKey = new Key(this, 'AlarmTopicKey', { description: 'Encrypts the IKB Planner alarm topic', enableKeyRotation: true });
    alarmKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
    this.alarmTopic = new Topic(this, 'OperatorAlarms', { displayName: 'IKB Planner alarms', enforceSSL: true, masterKey: alarmKey });
    const notifyOperators = new SnsAction(this.alarmTopic);
    const remindersFailed = new Alarm(this, 'RemindersFailedAlarm', {
      alarmDescription: 'A reminder or invitation failed after its last attempt: see GET /reminders?status=failed',
      metric: new Metric({ namespace: 'IkbPlanner', metricName: 'RemindersFailed', statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const dispatcherErrors = new Alarm(this, 'DispatcherErrorsAlarm', {
      alarmDescription: 'The reminder dispatcher itself failed',
      metric: dispatcher.fn.metricErrors({ period: Duration.minutes(5) }),
      threshold: 3,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const deadLetters = new Alarm(this, 'DispatchDlqAlarm', {
      alarmDescription: 'Dispatcher invocations gave up and landed in the dead-letter queue',
      metric: this.dispatchDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [remindersFailed, dispatcherErrors, deadLetters]) alarm.addAlarmAction(notifyOperators);
  }

  /** The nested stack of a route group, created the first time a route of the group needs it. */
  private routeGroup(id: string): NestedStack {
    const existing = this.node.tryFindChild(id);
    if (existing instanceof NestedStack) return existing;
    return new NestedStack(this, id, { description: `IKB Planner functions of the API's ${id.replace(/^Routes-/, '/')} routes` });
  }

  /**
   * The daily purge (§10): each team's personal data whose retention has run out, figures folded first. Daily at
   * 03:00 UTC (after the series job); retried, with a dead-letter queue and alarms on its errors, since a purge
   * that silently stops running is a privacy failure, not just an outage.
   */
  private addPurgeJob(props: StatelessStackProps): void {
    const purge = new ApiFunction(this, 'Fn-purgePersonalData', {
      entry: 'functions/purge-personal-data.ts',
      description: 'Removes personal data past its retention; figures folded first',
      timeout: Duration.minutes(15),
    });
    purge.bindTable(
      props.table,
      props.key,
      tableDesign.indexes.map((i) => i.name),
      'readWrite',
    );
    this.purgeDlq = new Queue(this, 'PurgeDlq', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    Validations.of(this.purgeDlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the purge schedule; a DLQ of a DLQ would only move the same events again.',
    });
    new Rule(this, 'PurgeDaily', {
      schedule: Schedule.cron({ hour: '3', minute: '0' }),
      targets: [new LambdaFunction(purge.fn, { retryAttempts: 2, maxEventAge: Duration.hours(6), deadLetterQueue: this.purgeDlq })],
    });
    this.scheduled.set('purgePersonalData', purge);
    const errors = new Alarm(this, 'PurgeErrorsAlarm', {
      alarmDescription: 'The daily purge failed (function error, or a team it could not purge): personal data may be kept past its retention',
      metric: new MathExpression({
        expression: 'fnErrors + teamErrors',
        usingMetrics: {
          fnErrors: purge.fn.metricErrors({ period: Duration.days(1) }),
          teamErrors: new Metric({ namespace: 'IkbPlanner', metricName: 'PurgeTeamErrors', statistic: 'Sum', period: Duration.days(1) }),
        },
        period: Duration.days(1),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (this.alarmTopic) errors.addAlarmAction(new SnsAction(this.alarmTopic));
  }
}
