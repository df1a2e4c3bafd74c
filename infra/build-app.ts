import { Validations } from 'aws-cdk-lib';
import type { App, Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StatefulStack } from './stateful-stack.js';
import { StatelessStack } from './stateless-stack.js';
import type { NotifySettings } from './stateless-stack.js';

/** Adds both stacks and the cdk-nag AwsSolutions checks to an app (shared by `cdk synth` and the infra tests). */
export function buildApp(
  app: App,
  env: Environment | undefined,
  options: { webDist: string },
): { stateful: StatefulStack; stateless: StatelessStack; nag: AwsSolutionsChecks } {
  const authDomainPrefix = app.node.tryGetContext('ikb:authDomainPrefix') as string | undefined;
  const stateful = new StatefulStack(app, 'IkbPlannerStateful', {
    env,
    description: 'IKB Planner data: table, key, user pool',
    ...(authDomainPrefix ? { authDomainPrefix } : {}),
  });
  const stateless = new StatelessStack(app, 'IkbPlannerStateless', {
    env,
    description: 'IKB Planner API, functions and web app',
    table: stateful.table,
    key: stateful.key,
    userPool: stateful.userPool,
    userPoolDomain: stateful.userPoolDomain,
    web: { distDir: options.webDist },
    // cdk.json or `-c ikb:notify='{"mailFrom":…}'`: the SES identity and SMS sender ID of this deployment.
    notify: (app.node.tryGetContext('ikb:notify') as NotifySettings | undefined) ?? undefined,
  });
  const nag = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(nag);
  return { stateful, stateless, nag };
}
