import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { Declaration } from '../../../functions/declaration.js';
import { pascal, pinLogicalId } from './ids.js';

export interface DataProps {
  /** The declared tables, by name. */
  readonly tables: Declaration['tables'];
}

const projections = {
  all: ProjectionType.ALL,
  keys: ProjectionType.KEYS_ONLY,
  include: ProjectionType.INCLUDE,
} as const;
const stringKey = (name: string) => ({ name, type: AttributeType.STRING });

/**
 * The stateful data: one DynamoDB table per declared table, with its indexes, TTL and point-in-time
 * recovery. Tables are on-demand, protected from deletion and retained when the stack is deleted; their logical ids are pinned
 * (`CasesTable` for `cases`).
 */
export class Data extends Construct {
  readonly tables: ReadonlyMap<string, Table>;
  /** The declared index names of each table. */
  readonly indexNames: ReadonlyMap<string, readonly string[]>;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const tables = new Map<string, Table>();
    for (const [name, declared] of Object.entries(props.tables)) {
      const id = `${pascal(name)}Table`;
      const table = new Table(this, id, {
        partitionKey: stringKey(declared.partitionKey),
        sortKey: stringKey(declared.sortKey),
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        timeToLiveAttribute: declared.timeToLiveAttribute,
        removalPolicy: RemovalPolicy.RETAIN,
        // The cases are the municipality's records: no update, console click or script deletes the table.
        deletionProtection: true,
      });
      for (const [indexName, index] of Object.entries(declared.indexes)) {
        table.addGlobalSecondaryIndex({
          indexName,
          partitionKey: stringKey(index.partitionKey),
          sortKey: stringKey(index.sortKey),
          projectionType: projections[index.projection],
          nonKeyAttributes: index.attributes,
        });
      }
      pinLogicalId(table, id);
      tables.set(name, table);
    }
    this.tables = tables;
    this.indexNames = new Map(
      Object.entries(props.tables).map(([name, declared]) => [name, Object.keys(declared.indexes)]),
    );
  }
}
