import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * The AWS Solutions checks of cdk-nag, run on every synth: a finding that is not acknowledged (with a
 * reason, next to the resource it concerns) fails the synth. The acknowledgements are also written into
 * the template's metadata (`cdk_nag.rules_to_suppress`), so whoever reviews the template sees them.
 */
export function checkCompliance(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
}
