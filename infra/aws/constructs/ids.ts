import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** `route` -> `Route`: construct ids and logical ids are derived from declaration names. */
export const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * Fixes the CloudFormation logical id of a construct's main resource. Used for stateful resources
 * (tables, queues): their logical id then no longer depends on where they sit in the construct tree,
 * so moving them into another construct cannot make CloudFormation replace them.
 */
export function pinLogicalId(construct: IConstruct, logicalId: string): void {
  const resource = construct.node.defaultChild;
  if (!(resource instanceof CfnResource))
    throw new Error(`${construct.node.path} has no CloudFormation resource to pin to ${logicalId}`);
  resource.overrideLogicalId(logicalId);
}

/** A map lookup that must succeed because the declaration was validated; fails loudly if it does not. */
export function mustGet<V>(map: ReadonlyMap<string, V>, name: string, what: string): V {
  const value = map.get(name);
  if (value === undefined)
    throw new Error(`no ${what} named "${name}" (declared: ${[...map.keys()].join(', ')})`);
  return value;
}
