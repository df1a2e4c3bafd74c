import { AssetHashType, Duration, RemovalPolicy, Stage, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Code, Function as LambdaFunction, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FunctionBundles } from '../bundling.js';

export interface ApiFunctionProps {
  /** Path of the entry file, e.g. functions/create-family.ts. */
  entry: string;
  description: string;
  logRetention?: RetentionDays;
  environment?: Record<string, string>;
  timeout?: Duration;
  /** Runs the planner's exact phase: HiGHS's .wasm is shipped beside the bundle, and the function gets a full vCPU. */
  solver?: boolean;
}

/**
 * A Lambda function with every project default: Node.js 24 on arm64, bundled and minified ESM with source
 * maps (all functions in one esbuild pass: infra/bundling.ts), its own log group with a retention, X-Ray tracing,
 * and a role that may write only its own logs.
 * Data access is granted per function with `bindTable`.
 */
export class ApiFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.entry}`,
      inlinePolicies: {
        logs: new PolicyDocument({
          statements: [new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] })],
        }),
      },
    });
    const assetOutdir = Stage.of(this)?.assetOutdir;
    if (!assetOutdir) throw new Error('An ApiFunction must be inside an App or Stage');
    this.fn = new LambdaFunction(this, 'Function', {
      code: Code.fromAsset(FunctionBundles.sourceDir, {
        // The asset is the bundle, hashed by its content: an unchanged function is not redeployed.
        assetHashType: AssetHashType.OUTPUT,
        bundling: FunctionBundles.of(assetOutdir).bundlingOf(props.entry, { solver: props.solver ?? false }),
      }),
      handler: 'index.handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      // 1,769 MB is one full vCPU: the planner's exact phase is CPU-bound and single-threaded.
      memorySize: props.solver ? 1769 : 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: Tracing.ACTIVE,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'ikb-planner',
        LOG_LEVEL: 'INFO',
        ...props.environment,
      },
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.',
    });
  }

  /**
   * Sets TABLE_NAME and grants exactly the data actions this function needs, on the table and its one index
   * by name (no wildcards), plus the key actions DynamoDB needs for a customer-managed key.
   */
  bindTable(table: ITableV2, key: IKey, indexNames: readonly string[], access: 'read' | 'readWrite'): this {
    this.fn.addEnvironment('TABLE_NAME', table.tableName);
    const read = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
    const write = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
    this.role.addToPolicy(
      new PolicyStatement({
        actions: access === 'read' ? read : [...read, ...write],
        resources: [table.tableArn, ...indexNames.map((name) => `${table.tableArn}/index/${name}`)],
      }),
    );
    const keyRead = ['kms:Decrypt', 'kms:DescribeKey'];
    const keyWrite = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];
    this.role.addToPolicy(new PolicyStatement({ actions: access === 'read' ? keyRead : [...keyRead, ...keyWrite], resources: [key.keyArn] }));
    return this;
  }
}
