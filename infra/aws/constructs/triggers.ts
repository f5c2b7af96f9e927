import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { FunctionDeclaration } from '../../../functions/declaration.js';

export type Trigger = FunctionDeclaration['trigger'];
export type TriggerOf<K extends Trigger['kind']> = Extract<Trigger, { kind: K }>;

/** A deployed function together with its declared name and trigger of one kind. */
export interface Triggered<K extends Trigger['kind']> {
  readonly name: string;
  readonly fn: IFunction;
  readonly trigger: TriggerOf<K>;
}
