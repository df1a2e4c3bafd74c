import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app.js';

const app = new App();
// Context comes from cdk.json; CDK_DEFAULT_* come from the CLI's credentials when deploying.
buildApp(app, { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'eu-north-1' });
app.synth();
