import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { tableDesign } from '../shared/store/table-design.js';

export interface StatefulStackProps extends StackProps {
  /** The managed login's domain prefix (<prefix>.auth.<region>.amazoncognito.com); unique per region across AWS. */
  authDomainPrefix?: string;
}

/**
 * Everything that holds data and must outlive a redeploy: the table, its key, the user pool and its managed-login
 * domain. The web app's client of the pool lives with the web app (StatelessStack): its callback URL is the
 * distribution's, which the API's CORS and the app's CSP name too.
 */
export class StatefulStack extends Stack {
  readonly table: TableV2;
  readonly key: Key;
  readonly userPool: UserPool;
  readonly userPoolDomain: UserPoolDomain;

  constructor(scope: Construct, id: string, props?: StatefulStackProps) {
    super(scope, id, props);

    this.key = new Key(this, 'DataKey', {
      description: 'Encrypts IKB Planner data at rest',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: tableDesign.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDesign.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: tableDesign.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      })),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(this.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: 'expiresAt',
    });

    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      customAttributes: {
        team_id: new StringAttribute({ minLen: 2, maxLen: 40, mutable: true }),
        staff_id: new StringAttribute({ minLen: 2, maxLen: 40, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Staff are invited when their record is created (POST /staff → AdminCreateUser): the e-mail Cognito sends.
      userInvitation: {
        emailSubject: 'Ditt konto i IKB-planeringen',
        emailBody:
          'Hej! Du har fått ett konto i IKB-planeringen. Användarnamn: {username} Tillfälligt lösenord: {####} ' +
          'Öppna planeringen via länken från din samordnare och logga in; du väljer då ett eget lösenord och lägger till en autentiseringsapp (tvåstegsverifiering).',
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const group of ['admin', 'coordinator', 'therapist']) {
      new CfnUserPoolGroup(this, `Group-${group}`, { userPoolId: this.userPool.userPoolId, groupName: group });
    }
    // Managed login (Cognito's own sign-in pages): the web app sends people here with the authorization-code flow
    // and PKCE; the pool's required MFA (TOTP) is asked for, and set up at first sign-in, on these pages.
    this.userPoolDomain = this.userPool.addDomain('ManagedLogin', {
      cognitoDomain: { domainPrefix: props?.authDomainPrefix ?? `ikb-planner-${this.account}` },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
  }
}
