import { App } from 'aws-cdk-lib';
import { defineApplication } from './application.js';

/**
 * CDK entry (`cdk.json`: `npx tsx infra/aws/app.ts`). Settings come from context, e.g.
 * `cdk synth -c apiRateLimit=20 -c apiBurstLimit=40 -c alarmEmail=ops@voorbeeld.nl` (see README, Deploy).
 */
defineApplication(new App());
