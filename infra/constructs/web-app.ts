import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import type { ResponseCustomHeader, ResponseSecurityHeadersBehavior } from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { WebConfig, WebOrigins } from '../web-headers.js';
import { webSecurityHeaders } from '../web-headers.js';

/**
 * CloudFront Function (viewer request) for the single-page app's routes: a path whose last segment has no file
 * extension (/veckan, /familjer/KAL-2026-01) is the app's own route and gets /index.html. Everything with an
 * extension — /config.json, /assets/*.js, the manifest, the service worker — goes to S3 as asked, so a missing one
 * is a real 403/404, never the app's HTML with a 200.
 */
export const spaRewriteSource = `function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/** The response headers policy's settings for exactly the headers infra/web-headers.ts defines (CloudFront's names and shapes). */
export function responseHeadersOf(headers: Record<string, string>): {
  securityHeadersBehavior: ResponseSecurityHeadersBehavior;
  customHeaders: ResponseCustomHeader[];
} {
  const security: { -readonly [K in keyof ResponseSecurityHeadersBehavior]: ResponseSecurityHeadersBehavior[K] } = {};
  const customHeaders: ResponseCustomHeader[] = [];
  for (const [name, value] of Object.entries(headers)) {
    switch (name.toLowerCase()) {
      case 'content-security-policy':
        security.contentSecurityPolicy = { contentSecurityPolicy: value, override: true };
        break;
      case 'strict-transport-security': {
        const maxAge = /max-age=(\d+)/i.exec(value)?.[1];
        if (maxAge === undefined) throw new Error(`Strict-Transport-Security without max-age: ${value}`);
        security.strictTransportSecurity = {
          accessControlMaxAge: Duration.seconds(Number(maxAge)),
          includeSubdomains: /includeSubDomains/i.test(value),
          preload: /preload/i.test(value),
          override: true,
        };
        break;
      }
      case 'x-content-type-options':
        if (value !== 'nosniff') throw new Error(`CloudFront sends X-Content-Type-Options: nosniff only, not ${value}`);
        security.contentTypeOptions = { override: true };
        break;
      case 'x-frame-options':
        security.frameOptions = {
          frameOption: value.toUpperCase() === 'DENY' ? HeadersFrameOption.DENY : HeadersFrameOption.SAMEORIGIN,
          override: true,
        };
        break;
      case 'referrer-policy': {
        const policy = Object.values(HeadersReferrerPolicy).find((p) => p === value);
        if (!policy) throw new Error(`Referrer-Policy ${value} is not one CloudFront knows`);
        security.referrerPolicy = { referrerPolicy: policy, override: true };
        break;
      }
      default:
        customHeaders.push({ header: name, value, override: true });
    }
  }
  return { securityHeadersBehavior: security, customHeaders };
}

export interface WebAppProps {
  /** The built app (Vite's output: index.html and assets/), uploaded as it is. */
  distDir: string;
}

/**
 * The web app: a private S3 bucket that only this CloudFront distribution may read (origin access control),
 * HTTPS only, the security headers of infra/web-headers.ts on every response, the SPA route rewrite, and the built
 * files with cache headers that fit them (hashed assets for a year, everything else revalidated). `config.json` is
 * written separately at deploy time (writeConfig), so one build serves every stage.
 */
export class WebApp extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** https://dxxxx.cloudfront.net, no trailing slash. */
  readonly url: string;
  readonly headersPolicy: ResponseHeadersPolicy;
  private readonly siteDeployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: WebAppProps & { origins: WebOrigins }) {
    super(scope, id);
    if (!existsSync(join(props.distDir, 'index.html')))
      throw new Error(`The web app's build is missing: ${join(props.distDir, 'index.html')} (run npm run build)`);

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Only build output lives here; a redeploy writes it again.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the public build of the web app, written by the deployment; reads go through CloudFront alone, and access logs would record nothing but static file fetches.',
    });

    const headers = responseHeadersOf(webSecurityHeaders(props.origins, { https: true }));
    this.headersPolicy = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'IKB Planner web app: infra/web-headers.ts',
      securityHeadersBehavior: headers.securityHeadersBehavior,
      ...(headers.customHeaders.length > 0 ? { customHeadersBehavior: { customHeaders: headers.customHeaders } } : {}),
    });

    const spaRoutes = new CloudFrontFunction(this, 'SpaRoutes', {
      comment: 'Routes of the single-page app to /index.html; files as they are',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(spaRewriteSource),
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'IKB Planner web app',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        responseHeadersPolicy: this.headersPolicy,
        functionAssociations: [{ function: spaRoutes, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: the team’s staff must reach their schedule wherever they are (courses, travel); sign-in with MFA guards the data, and the app holds none.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No WAF: the distribution serves only the static build of the app (no data, no forms posted to it); the API behind sign-in is throttled per stage and route.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'No access logs: they would hold staff members’ IP addresses (personal data) for static file fetches only; the API keeps its own route-level access logs.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate fixes the minimum viewer TLS version; with a custom domain set a TLS 1.2 security policy (README, Deploying).',
      },
    );
    this.url = `https://${this.distribution.distributionDomainName}`;

    // Hashed assets first (immutable, kept across deploys so an open tab's old chunks still load), then the rest
    // (index.html, manifest, service worker: always revalidated), pruning what a new build no longer has.
    const assetsDir = join(props.distDir, 'assets');
    const assets = existsSync(assetsDir)
      ? new BucketDeployment(this, 'Assets', {
          sources: [Source.asset(assetsDir)],
          destinationBucket: this.bucket,
          destinationKeyPrefix: 'assets/',
          cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
          prune: false,
        })
      : undefined;
    this.siteDeployment = new BucketDeployment(this, 'Site', {
      // The build's own config.json (if any) is never uploaded: writeConfig adds the deployed one to this deployment.
      sources: [Source.asset(props.distDir, { exclude: ['assets', 'assets/**', 'config.json'] })],
      destinationBucket: this.bucket,
      exclude: ['assets/*'],
      cacheControl: [CacheControl.noCache()],
      prune: true,
      distribution: this.distribution,
      distributionPaths: ['/*'],
    });
    if (assets) this.siteDeployment.node.addDependency(assets);
  }

  /**
   * Writes config.json at deploy time, with the site's files (tokens such as the API URL and client id are resolved
   * then; one deployment, not two, as each brings its own CLI layer): always revalidated, invalidated with the site.
   */
  writeConfig(config: WebConfig): void {
    this.siteDeployment.addSource(Source.jsonData('config.json', config));
  }
}

/** A policy value as cdk-nag names it in a finding: {Ref: X} → <X>, {Fn::GetAtt: [a, b]} → <a.b>, joins flattened. */
function nagName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.Ref === 'string') return `<${v.Ref}>`;
    if (typeof v['Fn::Sub'] === 'string') return v['Fn::Sub'].replace(/\$\{([^}]+)\}/g, '<$1>');
    if (Array.isArray(v['Fn::GetAtt'])) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
    const join = v['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) return (join[1] as unknown[]).map(nagName).join(join[0]);
  }
  return JSON.stringify(value);
}

const basicExecutionRole = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/**
 * Acknowledges, with reasons, exactly what cdk-nag finds in the Lambda functions CDK itself adds for deployments
 * (BucketDeployment's handler, AwsCustomResource's handler): their managed logging policy, and the wildcards CDK
 * grants BucketDeployment's handler — each wildcard action and resource by name, read from its own policy. Call
 * after the last deployment construct is added.
 */
export function acknowledgeCdkProvidedFunctions(stack: Stack): void {
  for (const child of stack.node.children) {
    const id = child.node.id;
    if (id.startsWith('Custom::CDKBucketDeployment')) {
      const reason =
        'CDK’s BucketDeployment handler copies the web build from the CDK asset bucket into the web bucket and invalidates the distribution during a deployment only; these are the object-level wildcards and the invalidation grant CDK gives it.';
      Validations.of(child).acknowledge(
        {
          id: basicExecutionRole,
          reason: 'CDK’s BucketDeployment handler writes its own logs with AWSLambdaBasicExecutionRole; it runs only during a deployment.',
        },
        {
          id: 'AwsSolutions-L1',
          reason:
            'The runtime of CDK’s BucketDeployment handler (it bundles the AWS CLI) is fixed by the CDK version, not by this project; it runs only during a deployment.',
        },
      );
      const policy = child.node.tryFindChild('ServiceRole')?.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
      const document = policy
        ? (stack.resolve((policy as unknown as { policyDocument: unknown }).policyDocument) as {
            Statement?: { Action?: string | string[]; Resource?: unknown }[];
          })
        : {};
      const findings = new Set<string>();
      for (const statement of document.Statement ?? []) {
        for (const action of [statement.Action ?? []].flat()) if (action.includes('*')) findings.add(`AwsSolutions-IAM5[Action::${action}]`);
        for (const resource of [statement.Resource ?? []].flat()) {
          const name = nagName(resource);
          if (name.includes('*')) findings.add(`AwsSolutions-IAM5[Resource::${name}]`);
        }
      }
      for (const finding of findings) Validations.of(child).acknowledge({ id: finding, reason });
    }
    if (id.startsWith('AWS679f53fac002430cb0da5b7982bd2287')) {
      Validations.of(child).acknowledge({
        id: basicExecutionRole,
        reason:
          'CDK’s AwsCustomResource handler (here: the API’s CORS origin) writes its own logs with AWSLambdaBasicExecutionRole; it runs only during a deployment.',
      });
    }
  }
}
