import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { declaration } from '../../functions/declaration.js';
import { arnText, listOf, synthDeployable } from '../support/cdk.js';

// ---------------------------------------------------------------------------------------------
// Prepare: the stack as `cdk synth` builds it (cdk.json context, feature flags), bundling skipped.
// Retention: the sparse retention index of the cases table, and the daily job that reads it.
// ---------------------------------------------------------------------------------------------

const template = synthDeployable();

const functionIdOf = (name: keyof typeof declaration.functions) =>
  template.getResourceId('AWS::Lambda::Function', {
    Properties: { Description: declaration.functions[name]?.description },
  });

const statementShape = z.object({ Effect: z.string(), Action: z.unknown(), Resource: z.unknown() });
/** The statements of the policies of a function's role. */
function statementsOf(name: keyof typeof declaration.functions) {
  const fn = template.findResources('AWS::Lambda::Function')[functionIdOf(name)];
  const roleId = z
    .object({ Properties: z.object({ Role: z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.string()]) }) }) })
    .parse(fn).Properties.Role['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
  });
  return Object.values(policies).flatMap(
    (p) => z.object({ Statement: z.array(statementShape) }).parse(p.Properties.PolicyDocument).Statement,
  );
}
const actionsOf = (name: keyof typeof declaration.functions) =>
  statementsOf(name).flatMap((s) => listOf(s.Action).filter((a): a is string => typeof a === 'string'));

describe('retention', () => {
  it('keeps a sparse retention index on the cases table that carries the deletion records themselves', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: Match.arrayWith([
        {
          IndexName: 'retention',
          KeySchema: [
            { AttributeName: 'retentionShard', KeyType: 'HASH' },
            { AttributeName: 'retentionOn', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['deleted'] },
        },
      ]),
    });
  });

  it('runs the retention job once a day', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 day)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [functionIdOf('retention'), 'Arn'] } }),
    });
  });

  it('lets only the retention job delete items, and it queries the retention index only', () => {
    const deleters = (Object.keys(declaration.functions) as (keyof typeof declaration.functions)[]).filter(
      (name) => actionsOf(name).some((a) => a === 'dynamodb:DeleteItem' || a === 'dynamodb:*'),
    );
    expect(deleters).toEqual(['retention']);
    const queried = statementsOf('retention')
      .filter((s) => listOf(s.Action).includes('dynamodb:Query'))
      .flatMap((s) => listOf(s.Resource).map(arnText));
    expect(queried).toHaveLength(1);
    expect(queried[0]).toMatch(/\/index\/retention$/);
    expect(
      actionsOf('retention')
        .filter((a) => a.startsWith('dynamodb:'))
        .sort(),
    ).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
  });
});
