import { describe, expect, it } from 'vitest';
import { clientsUsedBy } from '../../functions/adapters/clients.js';
import { createClients } from '../../functions/adapters/sdk/index.js';
import { compositions } from '../../functions/compositions.js';
import { declaration, type FunctionDeclaration, type FunctionName } from '../../functions/declaration.js';
import { composition } from '../../functions/shared/composition.js';
import { required } from '../support/cases.js';

const declared = Object.entries(declaration.functions) as [FunctionName, FunctionDeclaration][];

describe('the SDK clients of each function', () => {
  it.each(declared)('%s is composed with exactly the clients its declaration says it uses', (name, fn) => {
    // Act
    const uses = compositions[name].clients;

    // Assess
    expect([...uses].sort()).toEqual(clientsUsedBy(fn).sort());
  });

  it('reads the clients from the declaration: a table is DynamoDB, a queue SQS, sending mail SES', () => {
    // Act / Assess
    expect(clientsUsedBy(required(declaration.functions.intake, 'intake'))).toEqual(['dynamo', 'sqs']);
    expect(clientsUsedBy(required(declaration.functions.router, 'router'))).toEqual(['dynamo', 'sqs', 'ses']);
    expect(clientsUsedBy(required(declaration.functions.sla, 'sla'))).toEqual(['dynamo', 'sqs', 'ses']);
    expect(clientsUsedBy(required(declaration.functions.actions, 'actions'))).toEqual(['dynamo', 'sqs']);
  });

  it('builds only the clients asked for', () => {
    // Act
    const clients = createClients(['dynamo', 'sqs']);

    // Assess
    expect(Object.keys(clients).sort()).toEqual(['dynamo', 'sqs']);
    for (const client of Object.values(clients)) client?.destroy();
  });

  it('fails to compose a function given fewer clients than it uses, naming the missing ones', async () => {
    // Prepare
    const composed = composition(['dynamo', 'ses'], async () => async () => undefined);
    const clients = createClients(['dynamo']);

    // Act / Assess
    await expect(composed.compose({}, clients)).rejects.toThrow('missing SDK client(s): ses');
    for (const client of Object.values(clients)) client?.destroy();
  });
});
