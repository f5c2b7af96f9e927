import {
  declaration,
  type QueueName,
  type ResourceNames,
  type TableName,
} from '../../functions/declaration.js';

/**
 * Resource names of the shape the stack gives the functions on AWS (a table name, a queue URL), for every
 * declared table and queue: what a function's environment holds when a test composes it as deployed.
 */
export const awsResourceNames: ResourceNames = {
  tables: Object.fromEntries(
    Object.keys(declaration.tables).map((table) => [table, `${declaration.service}-${table}`]),
  ) as Record<TableName, string>,
  queues: Object.fromEntries(
    Object.keys(declaration.queues).map((queue) => [
      queue,
      `https://sqs.eu-west-1.amazonaws.com/123456789012/${declaration.service}-${queue}`,
    ]),
  ) as Record<QueueName, string>,
};
