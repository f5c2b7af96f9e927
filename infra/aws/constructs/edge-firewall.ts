import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface EdgeFirewallProps {
  /** Requests one client IP may send in any 5 minutes before it is answered 429 (context `edgeRateLimit`). */
  readonly rateLimit: number;
  /**
   * Given: blocked and counted requests are logged, kept this long, in the web ACL's Region (us-east-1: client
   * IPs outside the EU). Absent: no log (WAF keeps its sampled requests for three hours only).
   */
  readonly logRetention?: RetentionDays | undefined;
}

/** The window the rate-based rule counts requests over, in seconds (WAF allows 60, 120, 300 or 600). */
export const RATE_WINDOW_SECONDS = 300;

/** Rule names, as the web ACL's metrics and logs show them. */
export const edgeRuleNames = {
  rate: 'RatePerClientIp',
  common: 'AwsManagedCommonRuleSet',
} as const;

/**
 * The rule of the common rule set that blocks bodies above 8 KB. A form post holds up to 5,000 characters of
 * description, and URL-encoded a character outside ASCII takes 6 to 9 bytes (a line break 6): a long
 * description in honest Dutch passes 8 KB, and the intake accepts up to 32 KB (it answers 413 above that
 * itself, functions/intake/handler.ts). So this one rule only counts.
 */
export const BODY_SIZE_RULE = 'SizeRestrictions_BODY';

const TOO_MANY_REQUESTS = 'tooManyRequests';

const metrics = (name: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName: name,
  sampledRequestsEnabled: true,
});

/**
 * The AWS WAF web ACL CloudFront puts in front of the API (scope CLOUDFRONT, so it must be created in
 * us-east-1): a rate-based rule per client IP that answers 429 with Retry-After, then the AWS managed common
 * rule set (OWASP-style checks on headers, path, query and body). Everything else is allowed. On request
 * (`logRetention`) blocked and counted requests are logged, with the path and query string redacted (they
 * hold the status and action tokens), to a log group in the same Region.
 */
export class EdgeFirewall extends Construct {
  readonly webAcl: CfnWebACL;
  readonly logGroup: LogGroup | undefined;

  constructor(scope: Construct, id: string, props: EdgeFirewallProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'Aanspreekpunt: rate limit per client IP and the AWS managed common rule set',
      defaultAction: { allow: {} },
      visibilityConfig: metrics(`${stack.stackName}-WebAcl`),
      customResponseBodies: {
        [TOO_MANY_REQUESTS]: {
          contentType: 'TEXT_PLAIN',
          content:
            'Te veel verzoeken vanaf uw adres. Probeer het over enkele minuten opnieuw. / Too many requests from your address. Please try again in a few minutes.',
        },
      },
      rules: [
        {
          name: edgeRuleNames.rate,
          priority: 0,
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: props.rateLimit,
              evaluationWindowSec: RATE_WINDOW_SECONDS,
            },
          },
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: TOO_MANY_REQUESTS,
                // The rate falls below the limit at most one window after the requests stop.
                responseHeaders: [{ name: 'retry-after', value: String(RATE_WINDOW_SECONDS) }],
              },
            },
          },
          visibilityConfig: metrics(edgeRuleNames.rate),
        },
        {
          name: edgeRuleNames.common,
          priority: 1,
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              ruleActionOverrides: [{ name: BODY_SIZE_RULE, actionToUse: { count: {} } }],
            },
          },
          overrideAction: { none: {} },
          visibilityConfig: metrics(edgeRuleNames.common),
        },
      ],
    });

    const logRetention = props.logRetention;
    if (logRetention === undefined) {
      this.logGroup = undefined;
      return;
    }
    // WAF writes to CloudWatch Logs only into a log group whose name starts with `aws-waf-logs-`.
    // Its name is fixed, so it goes with the stack (a retained one would block the stack's next creation).
    const logGroupName = `aws-waf-logs-${stack.stackName}`;
    const logGroup = new LogGroup(this, 'Log', {
      logGroupName,
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.logGroup = logGroup;
    const logging = new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // The log group's ARN without the `:*` suffix CloudFormation gives it: WAF refuses that form.
      logDestinationConfigs: [
        stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: [{ uriPath: {} }, { queryString: {} }],
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }],
          },
        ],
      },
    });
    logging.node.addDependency(logGroup);
  }
}
