import { readFileSync, readdirSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { spaRewriteSource } from '../../infra/constructs/web-app.js';
import { SIGN_IN_ACTIONS, SIGN_IN_ROUTES } from '../../infra/stateless-stack.js';
import { contentSecurityPolicy, webSecurityHeaders } from '../../infra/web-headers.js';
import { allRoutes } from '../../shared/http/routes.js';

const cdkContext = (JSON.parse(readFileSync('cdk.json', 'utf8')) as { context: Record<string, unknown> }).context;

let app: App;
let built: ReturnType<typeof buildApp>;
let stateless: Template;
let stateful: Template;
type Resource = { Properties: Record<string, unknown> };
const only = (t: Template, type: string): Resource => {
  const all = Object.values(t.findResources(type)) as Resource[];
  expect(all, type).toHaveLength(1);
  return all[0] as Resource;
};
/** An element's logical id in its own stack: the stateless stack, or a route group's nested stack for the routes' functions. */
const logicalId = (element: unknown): string => Stack.of(element as CfnElement).getLogicalId(element as CfnElement);

/** A token as `joined` writes it: <its JSON with single quotes>. */
const tok = (token: unknown): string => `<${JSON.stringify(token).replace(/"/g, "'")}>`;

/** An Fn::Join as one string with each token written by `tok`; parsed when it is JSON. */
function joined(value: unknown): unknown {
  const join = (value as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (!join) return value;
  const text = join[1].map((part) => (typeof part === 'string' ? part : tok(part))).join(join[0]);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

beforeAll(() => {
  const webDist = mkdtempSync(join(tmpdir(), 'ikb-web-dist-'));
  mkdirSync(join(webDist, 'assets'));
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>IKB</title><script type="module" src="/assets/app-1a2b.js"></script>');
  writeFileSync(join(webDist, 'assets', 'app-1a2b.js'), 'console.log(1)');
  // A stale config.json in the build must never be uploaded over the deployed one.
  writeFileSync(join(webDist, 'config.json'), '{"apiUrl":"http://localhost:3000"}');
  app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] }, outdir: mkdtempSync(join(tmpdir(), 'ikb-cdk-out-')) });
  built = buildApp(app, { account: '123456789012', region: 'eu-north-1' }, { webDist });
  stateless = Template.fromStack(built.stateless);
  stateful = Template.fromStack(built.stateful);
});

describe('web app hosting', () => {
  it('keeps the bucket private: every public access blocked, TLS enforced, encrypted, only this distribution may read', () => {
    const bucketId = logicalId(built.stateless.web.bucket.node.defaultChild);
    stateless.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    const policy = only(stateless, 'AWS::S3::BucketPolicy');
    expect(policy.Properties.Bucket).toEqual({ Ref: bucketId });
    const statements = (
      policy.Properties.PolicyDocument as { Statement: { Effect: string; Principal: unknown; Condition?: unknown; Action: unknown }[] }
    ).Statement;
    expect(statements.find((s) => s.Effect === 'Deny')).toMatchObject({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
    });
    expect(JSON.stringify(allows[0]?.Condition)).toContain(logicalId(built.stateless.web.distribution.node.defaultChild));
  });

  it('reads the bucket through origin access control (signed requests), and viewers only over HTTPS', () => {
    stateless.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' }),
    });
    const distribution = only(stateless, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as Record<string, unknown>;
    const [origin] = distribution.Origins as { OriginAccessControlId?: unknown; S3OriginConfig?: { OriginAccessIdentity: string } }[];
    expect(origin?.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Id'] });
    expect(origin?.S3OriginConfig?.OriginAccessIdentity).toBe('');
    expect(distribution.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] });
    expect(distribution.DefaultRootObject).toBe('index.html');
  });

  it('sends exactly the headers of infra/web-headers.ts, with the API and the Cognito endpoints in the CSP and nothing inline', () => {
    const origins = {
      api: built.stateless.api.apiEndpoint,
      auth: [`https://cognito-idp.eu-north-1.amazonaws.com`, built.stateful.userPoolDomain.baseUrl()],
    };
    const config = only(stateless, 'AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, Record<string, unknown>>;
      CustomHeadersConfig: { Items: { Header: string; Value: string; Override: boolean }[] };
    };
    const security = config.SecurityHeadersConfig;
    expect(security.ContentSecurityPolicy).toEqual({
      ContentSecurityPolicy: built.stateless.resolve(contentSecurityPolicy(origins)),
      Override: true,
    });
    const csp = JSON.stringify(security.ContentSecurityPolicy);
    expect(csp).toContain(logicalId(built.stateless.api.node.defaultChild)); // the API's own origin, not a wildcard
    expect(csp).toContain('https://cognito-idp.eu-north-1.amazonaws.com');
    expect(csp).toContain('.auth.eu-north-1.amazoncognito.com');
    expect(csp).not.toMatch(/unsafe-|\*/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(security.StrictTransportSecurity).toEqual({ AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Preload: true, Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    // Every other header of web-headers.ts as a custom header, with the same value.
    const expected = webSecurityHeaders({ api: 'https://api.example', auth: [] }, { https: true });
    const custom = Object.fromEntries(config.CustomHeadersConfig.Items.map((h) => [h.Header, h.Value]));
    expect(custom).toEqual({
      'Permissions-Policy': expected['Permissions-Policy'],
      'Cross-Origin-Opener-Policy': expected['Cross-Origin-Opener-Policy'],
    });
    // CloudFront's limit for a CSP header value is 1,783 characters.
    expect(
      contentSecurityPolicy({
        api: 'https://abcdefghij.execute-api.eu-north-1.amazonaws.com',
        auth: ['https://cognito-idp.eu-north-1.amazonaws.com', 'https://ikb-planner-123456789012.auth.eu-north-1.amazoncognito.com'],
      }).length,
    ).toBeLessThan(1783);
  });

  it('falls back to index.html for the app’s routes only: config.json, assets and other files are never rewritten', () => {
    const distribution = only(stateless, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as Record<string, unknown>;
    expect(distribution.CustomErrorResponses).toBeUndefined();
    expect((distribution.DefaultCacheBehavior as { FunctionAssociations: unknown[] }).FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: expect.anything() },
    ]);
    stateless.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: spaRewriteSource,
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
    });
    const rewrite = (uri: string): string =>
      (runInNewContext(`${spaRewriteSource}; handler({ request: { uri: ${JSON.stringify(uri)} } })`) as { uri: string }).uri;
    expect(rewrite('/veckan')).toBe('/index.html');
    expect(rewrite('/familjer/KAL-2026-01')).toBe('/index.html');
    expect(rewrite('/')).toBe('/index.html');
    expect(rewrite('/config.json')).toBe('/config.json');
    expect(rewrite('/assets/app-1a2b.js')).toBe('/assets/app-1a2b.js');
    expect(rewrite('/assets/missing.css')).toBe('/assets/missing.css');
    expect(rewrite('/manifest.webmanifest')).toBe('/manifest.webmanifest');
  });

  it('uploads the build with fitting cache headers, never the build’s own config.json, and writes config.json at deploy time', () => {
    const deployments = Object.values(stateless.findResources('Custom::CDKBucketDeployment')) as Resource[];
    expect(deployments).toHaveLength(2);
    const assets = deployments.find((d) => d.Properties.DestinationBucketKeyPrefix === 'assets/');
    expect(assets?.Properties).toMatchObject({ Prune: false, SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' } });
    const config = deployments.find((d) => d !== assets);
    expect(config?.Properties).toMatchObject({
      Prune: true,
      Exclude: ['assets/*'],
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionPaths: ['/*'],
    });
    expect(config?.Properties.DestinationBucketKeyPrefix).toBeUndefined();

    // The staged config.json: the WebConfig shape, its values filled in at deploy time from the markers.
    const outdir = app.outdir;
    const staged = readdirSync(outdir)
      .filter((d) => d.startsWith('asset.') && existsSync(join(outdir, d, 'config.json')))
      .map((d) => JSON.parse(readFileSync(join(outdir, d, 'config.json'), 'utf8')) as Record<string, unknown>);
    const deployed = staged.filter((c) => c.oidc !== undefined);
    expect(deployed).toHaveLength(1);
    expect(deployed[0]).toEqual({
      apiUrl: expect.stringMatching(/^<<marker:0xbaba:\d+>>$/),
      oidc: {
        authority: expect.stringMatching(/^https:\/\/cognito-idp\.eu-north-1\.amazonaws\.com\/<<marker:0xbaba:\d+>>$/),
        clientId: expect.stringMatching(/^<<marker:0xbaba:\d+>>$/),
        scope: 'openid email profile',
        signOutUrl: expect.stringMatching(
          /^https:\/\/<<marker:0xbaba:\d+>>\.auth\.eu-north-1\.amazoncognito\.com\/logout\?client_id=<<marker:0xbaba:\d+>>&logout_uri=https%3A%2F%2F<<marker:0xbaba:\d+>>%2F$/,
        ),
      },
    });
    const markers = JSON.stringify(config?.Properties.SourceMarkers);
    expect(markers).toContain(logicalId(built.stateless.api.node.defaultChild));
    expect(markers).toContain(logicalId(built.stateless.webClient.node.defaultChild));
    expect(markers).toContain(logicalId(built.stateless.web.distribution.node.defaultChild));
    // The build's own (stale) config.json is not among the site's files.
    expect(staged.some((c) => c.apiUrl === 'http://localhost:3000')).toBe(false);
  });
});

describe('API CORS', () => {
  it('allows exactly the CloudFront origin (set by UpdateApi once both exist), the app’s headers, and may touch nothing else', () => {
    const api = only(stateless, 'AWS::ApiGatewayV2::Api');
    expect(api.Properties.CorsConfiguration).toBeUndefined();
    const cors = only(stateless, 'Custom::ApiCors');
    const call = (phase: 'Create' | 'Update' | 'Delete') =>
      joined(cors.Properties[phase]) as { action: string; parameters: { ApiId: string; CorsConfiguration?: Record<string, unknown> } };
    const distributionDomain = tok({ 'Fn::GetAtt': [logicalId(built.stateless.web.distribution.node.defaultChild), 'DomainName'] });
    const apiRef = tok({ Ref: logicalId(built.stateless.api.node.defaultChild) });
    for (const phase of ['Create', 'Update'] as const) {
      expect(call(phase)).toMatchObject({ action: 'UpdateApi', parameters: { ApiId: apiRef } });
      expect(call(phase).parameters.CorsConfiguration).toEqual({
        AllowOrigins: [`https://${distributionDomain}`],
        AllowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-none-match', 'if-modified-since'],
        AllowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        ExposeHeaders: ['etag', 'last-modified', 'location'],
        MaxAge: 3600,
      });
    }
    expect(call('Delete')).toMatchObject({ action: 'DeleteCorsConfiguration', parameters: { ApiId: apiRef } });
    // Its handler may change this API's CORS and nothing else.
    const policies = Object.values(stateless.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes('apigateway:'));
    expect(policies).toHaveLength(1);
    const statements = ((policies[0] as Resource).Properties.PolicyDocument as { Statement: { Action: string; Resource: unknown }[] }).Statement;
    expect(statements.map((st) => [st.Action, joined(st.Resource)])).toEqual([
      ['apigateway:PATCH', `arn:aws:apigateway:eu-north-1::/apis/${apiRef}`],
      ['apigateway:DELETE', `arn:aws:apigateway:eu-north-1::/apis/${apiRef}/cors`],
    ]);
  });
});

describe('sign-in', () => {
  it('the web client: authorization code only, public (no secret), openid/email/profile, CloudFront as callback and sign-out URL', () => {
    const client = only(stateless, 'AWS::Cognito::UserPoolClient').Properties;
    const appUrl = {
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(built.stateless.web.distribution.node.defaultChild), 'DomainName'] }, '/']],
    };
    expect(client).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: [appUrl],
      LogoutURLs: [appUrl],
      DefaultRedirectURI: appUrl,
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      IdTokenValidity: 15,
    });
    expect([...(client.AllowedOAuthScopes as string[])].sort()).toEqual(['email', 'openid', 'profile']);
    expect(client.GenerateSecret).not.toBe(true);
    expect(JSON.stringify(client.CallbackURLs)).not.toContain('localhost');
    // Team and staff ids: readable, never writable by the person (only the staff functions set them).
    expect(client.WriteAttributes).toEqual(['email']);
    expect(client.ReadAttributes).toEqual(expect.arrayContaining(['custom:team_id', 'custom:staff_id']));
  });

  it('managed login on the pool’s domain, with Cognito’s own style for the web client; the pool still requires MFA', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'ikb-planner-123456789012', ManagedLoginVersion: 2 });
    stateless.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      UseCognitoProvidedValues: true,
      ClientId: { Ref: logicalId(built.stateless.webClient.node.defaultChild) },
    });
    stateful.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
  });

  it('the JWT authorizer accepts the web client’s ID tokens: issuer = the pool, audience = the web client', () => {
    const authorizer = only(stateless, 'AWS::ApiGatewayV2::Authorizer').Properties;
    expect(authorizer.JwtConfiguration).toMatchObject({ Audience: [{ Ref: logicalId(built.stateless.webClient.node.defaultChild) }] });
    expect(JSON.stringify((authorizer.JwtConfiguration as { Issuer: unknown }).Issuer)).toMatch(
      /https:\/\/cognito-idp\.eu-north-1\.amazonaws\.com\//,
    );
  });

  it('only the staff functions may manage sign-ins: exactly the seven admin actions, on the one pool, with SIGN_IN_MODE=cognito', () => {
    type Resources = Record<
      string,
      {
        Type: string;
        Properties: {
          PolicyDocument?: { Statement: { Action: string | string[]; Resource: unknown }[] };
          Environment?: { Variables: Record<string, unknown> };
        };
      }
    >;
    const byStack = new Map<Stack, Resources>();
    const resourcesOf = (stack: Stack): Resources => {
      let resources = byStack.get(stack);
      if (!resources) byStack.set(stack, (resources = Template.fromStack(stack).toJSON().Resources as Resources));
      return resources;
    };
    const resources = resourcesOf(built.stateless);
    for (const route of allRoutes) {
      const fn = built.stateless.functions.get(route.id);
      const resources = resourcesOf(Stack.of(fn ?? built.stateless));
      const policy = fn?.role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
      const statements = policy ? (resources[logicalId(policy)]?.Properties.PolicyDocument?.Statement ?? []) : [];
      const cognito = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('cognito-idp:')));
      const env = resources[logicalId(fn?.fn.node.defaultChild)]?.Properties.Environment?.Variables ?? {};
      if (!SIGN_IN_ROUTES.has(route.id)) {
        expect(cognito, route.id).toEqual([]);
        expect(env.SIGN_IN_MODE, route.id).toBeUndefined();
        continue;
      }
      expect(cognito, route.id).toHaveLength(1);
      expect([cognito[0]?.Action].flat().sort()).toEqual([...SIGN_IN_ACTIONS].sort());
      const resource = JSON.stringify(cognito[0]?.Resource);
      expect(resource).toMatch(/UsersOutput|Users[0-9A-F]{8}/); // the stateful stack's pool, exported to this one (and passed on to the nested stack)
      expect(resource).not.toContain('*');
      expect(env).toMatchObject({ SIGN_IN_MODE: 'cognito', USER_POOL_ID: expect.anything() });
    }
    for (const fn of built.stateless.scheduled.values()) {
      expect(JSON.stringify(resources[logicalId(fn.role.node.tryFindChild('DefaultPolicy')?.node.defaultChild)])).not.toContain('cognito-idp:');
    }
  });
});
