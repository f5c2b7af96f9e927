import type { App } from 'aws-cdk-lib';
import { ConfigError } from '../../config/error.js';
import { readMunicipalityFile } from '../../config/file.js';
import { municipality, municipalitySource } from '../../config/index.js';
import { checkCompliance } from './compliance.js';
import { AanspreekpuntEdgeStack, EDGE_ACL_REGION } from './edge-stack.js';
import { type Settings, settingsFrom } from './settings.js';
import { AanspreekpuntStack } from './stack.js';

/** The account and Region the CLI resolved from its credentials (`cdk deploy` sets them; `npm run synth` does not). */
export interface CliEnvironment {
  readonly account?: string | undefined;
  readonly region?: string | undefined;
}

const cliEnvironment = (): CliEnvironment => ({
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION,
});

/**
 * Everything `cdk synth` builds into an app: the one stack, its settings from the app's context, the
 * municipality it serves (context `municipality`, a config file), and the compliance checks. `app.ts` calls this with the CLI's app; the infra tests with theirs.
 * The stack is environment-agnostic: account and region are resolved at deploy time. With context
 * `edge=true` a second stack, `AanspreekpuntEdge` in us-east-1, holds the WAF web ACL for CloudFront; the two
 * refer to each other across Regions, which takes a concrete account and Region for both (context `account`
 * and `region`, else the CLI's).
 */
export function defineApplication(app: App, cli: CliEnvironment = cliEnvironment()): AanspreekpuntStack {
  const settings = settingsFrom(app.node);
  const common = {
    settings,
    ...(settings.municipality === undefined
      ? { municipality, municipalitySource }
      : {
          municipality: readMunicipalityFile(settings.municipality),
          municipalitySource: settings.municipality,
        }),
    description: 'Aanspreekpunt: intake, routing and SLA follow-up of requests from social enterprises',
  };
  let stack: AanspreekpuntStack;
  if (settings.edge) {
    const { account, region } = edgeEnvironment(settings, cli);
    const edge = new AanspreekpuntEdgeStack(app, 'AanspreekpuntEdge', {
      env: { account, region: EDGE_ACL_REGION },
      crossRegionReferences: true,
      rateLimit: settings.edgeRateLimit,
      logRetention: settings.edgeLogging ? settings.logRetentionDays : undefined,
      description:
        'Aanspreekpunt edge: the AWS WAF web ACL of the CloudFront distribution in front of the API',
    });
    stack = new AanspreekpuntStack(app, 'Aanspreekpunt', {
      ...common,
      env: { account, region },
      crossRegionReferences: true,
      edge: { webAclArn: edge.firewall.webAcl.attrArn },
    });
  } else stack = new AanspreekpuntStack(app, 'Aanspreekpunt', common);
  checkCompliance(app);
  return stack;
}

/** The account and Region both stacks deploy to with the edge: context first, then the CLI's; else a ConfigError. */
function edgeEnvironment(settings: Settings, cli: CliEnvironment): { account: string; region: string } {
  const account = settings.account ?? cli.account;
  const region = settings.region ?? cli.region;
  if (account !== undefined && region !== undefined) return { account, region };
  const missing = [account === undefined ? 'account' : [], region === undefined ? 'region' : []].flat();
  throw new ConfigError(
    `CDK context is invalid:\n  edge: edge=true puts the WAF web ACL in a stack of its own in ${EDGE_ACL_REGION}, which the main stack refers to across Regions; that needs a concrete account and Region, and the ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} unknown. Set ${missing.map((key) => `-c ${key}=${key === 'account' ? '123456789012' : 'eu-west-1'}`).join(' ')}, or run cdk with credentials and a Region (AWS_PROFILE, AWS_REGION) so the CLI supplies them.`,
  );
}
