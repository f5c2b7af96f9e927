import { App } from 'aws-cdk-lib';
import { ConfigError } from '../../config/error.js';
import { defineApplication } from './application.js';

/**
 * CDK entry (`cdk.json`: `npx tsx infra/aws/app.ts`). Settings come from context, e.g.
 * `cdk synth -c municipality=config/municipalities/zuidstad.json -c alarmEmail=ops@zuidstad.nl` (see README,
 * Deploy for your municipality). A config or setting that cannot be used stops the synth with its message
 * alone: which file or setting, which path, and what to change.
 */
try {
  defineApplication(new App());
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
