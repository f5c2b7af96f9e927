import type { App } from 'aws-cdk-lib';
import { checkCompliance } from './compliance.js';
import { settingsFrom } from './settings.js';
import { AanspreekpuntStack } from './stack.js';

/**
 * Everything `cdk synth` builds into an app: the one stack, its settings from the app's context, and the
 * compliance checks. `app.ts` calls this with the CLI's app; the infra tests with theirs.
 * The stack is environment-agnostic: account and region are resolved at deploy time.
 */
export function defineApplication(app: App): AanspreekpuntStack {
  const stack = new AanspreekpuntStack(app, 'Aanspreekpunt', {
    settings: settingsFrom(app.node),
    description: 'Aanspreekpunt: intake, routing and SLA follow-up of requests from social enterprises',
  });
  checkCompliance(app);
  return stack;
}
