import { Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { EdgeFirewall } from './constructs/edge-firewall.js';

/** The Region a web ACL for CloudFront (scope CLOUDFRONT) must be created in. */
export const EDGE_ACL_REGION = 'us-east-1';

export interface AanspreekpuntEdgeStackProps extends StackProps {
  /** Requests one client IP may send in any 5 minutes (context `edgeRateLimit`). */
  readonly rateLimit: number;
  /** With context `edgeLogging`: how long the log of blocked and counted requests is kept; absent, no log. */
  readonly logRetention?: RetentionDays | undefined;
}

/**
 * The part of the edge that must live in us-east-1: the WAF web ACL for CloudFront. The main stack's
 * distribution refers to it across Regions (`crossRegionReferences`: CDK writes the ARN to an SSM parameter
 * in the main stack's Region and reads it there), so this stack is deployed first.
 */
export class AanspreekpuntEdgeStack extends Stack {
  readonly firewall: EdgeFirewall;

  constructor(scope: Construct, id: string, props: AanspreekpuntEdgeStackProps) {
    super(scope, id, props);
    this.firewall = new EdgeFirewall(this, 'Firewall', {
      rateLimit: props.rateLimit,
      logRetention: props.logRetention,
    });
  }
}
