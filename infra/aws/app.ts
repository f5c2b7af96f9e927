import { App } from 'aws-cdk-lib';
import { settingsFrom } from './settings.js';
import { AanspreekpuntStack } from './stack.js';

/**
 * CDK entry (`cdk.json`: `npx tsx infra/aws/app.ts`). Settings come from context, e.g.
 * `cdk synth -c apiRateLimit=20 -c apiBurstLimit=40`.
 * The stack is environment-agnostic: account and region are resolved at deploy time.
 */
const app = new App();
new AanspreekpuntStack(app, 'Aanspreekpunt', {
  settings: settingsFrom(app.node),
  description: 'Aanspreekpunt: intake, routing and SLA follow-up of requests from social enterprises',
});
