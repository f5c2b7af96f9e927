import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

/**
 * The cdk-nag checks run on every synth: AWS Solutions (security) and Serverless (the operational
 * practices of Lambda, API Gateway, SQS and SNS). A finding that is not acknowledged (with a reason, next
 * to the resource it concerns) fails the synth. The acknowledgements are also written into the template's
 * metadata (`cdk_nag.rules_to_suppress`), so whoever reviews the template sees them.
 */
export function checkCompliance(app: App): void {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }),
    new ServerlessChecks(app, { writeSuppressionsToCloudFormation: true }),
  );
}
