import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app.js';

const app = new App();

/**
 * The web app's build: `-c ikb:webDist=<dir>` points at one made elsewhere (CI's artefact); otherwise web/dist, built
 * here with `npm run build` when it is missing (Vite, offline). An existing web/dist is used as it is: run
 * `npm run build` before deploying changed web code.
 */
function webDist(): string {
  const given = app.node.tryGetContext('ikb:webDist') as string | undefined;
  const dir = resolve(given ?? join('web', 'dist'));
  if (existsSync(join(dir, 'index.html'))) return dir;
  if (given) throw new Error(`ikb:webDist=${given} has no index.html`);
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  if (!scripts.build)
    throw new Error('web/dist/index.html is missing and package.json has no build script: build the web app or pass -c ikb:webDist=<dir>');
  console.error('web/dist is missing: npm run build …');
  // stdout belongs to the synth (the CLI reads the cloud assembly from it): the build's output goes to stderr.
  execFileSync('npm', ['run', 'build'], {
    stdio: ['ignore', process.stderr, process.stderr],
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  if (!existsSync(join(dir, 'index.html'))) throw new Error('npm run build did not produce web/dist/index.html');
  return dir;
}

// Context comes from cdk.json; CDK_DEFAULT_* come from the CLI's credentials when deploying.
buildApp(app, { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'eu-north-1' }, { webDist: webDist() });
app.synth();
