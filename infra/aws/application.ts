import type { App } from 'aws-cdk-lib';
import { readMunicipalityFile } from '../../config/file.js';
import { municipality, municipalitySource } from '../../config/index.js';
import { checkCompliance } from './compliance.js';
import { settingsFrom } from './settings.js';
import { AanspreekpuntStack } from './stack.js';

/**
 * Everything `cdk synth` builds into an app: the one stack, its settings from the app's context, the
 * municipality it serves (context `municipality`, a config file), and the compliance checks. `app.ts` calls this with the CLI's app; the infra tests with theirs.
 * The stack is environment-agnostic: account and region are resolved at deploy time.
 */
export function defineApplication(app: App): AanspreekpuntStack {
  const settings = settingsFrom(app.node);
  const stack = new AanspreekpuntStack(app, 'Aanspreekpunt', {
    settings,
    ...(settings.municipality === undefined
      ? { municipality, municipalitySource }
      : {
          municipality: readMunicipalityFile(settings.municipality),
          municipalitySource: settings.municipality,
        }),
    description: 'Aanspreekpunt: intake, routing and SLA follow-up of requests from social enterprises',
  });
  checkCompliance(app);
  return stack;
}
