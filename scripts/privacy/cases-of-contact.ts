import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { CASE_SK, referenceOfCaseItem } from '../../functions/adapters/cases.js';
import { normalisedAddress } from '../../functions/domain/privacy.js';

/** What the scan for a contact's cases reads of an item: its key and the contact's address. */
const contactItem = z.looseObject({
  pk: z.string(),
  sk: z.string(),
  request: z.looseObject({ contact: z.looseObject({ email: z.string() }) }),
});

/**
 * The references of the cases whose enterprise contact has this address (trimmed, in any case: an address
 * is stored as it was typed). There is no index by address (the table's second index could not be added in
 * the deploy that added the retention index), so this is a paginated Scan of the whole table that sends back
 * only the key and the address of the case items; DynamoDB bills the Scan by the size of every item it reads
 * (a projection does not make it cheaper). For a person's request about their data (`npm run privacy`),
 * never for the workflow: no deployed function may scan (test/unit/dynamodb-operations.test.ts), so it lives
 * with the script. Cases whose personal data were removed hold no address and are not found.
 */
export async function casesOfContact(
  db: DynamoDBDocumentClient,
  table: string,
  address: string,
): Promise<string[]> {
  const wanted = normalisedAddress(address);
  const references: string[] = [];
  for await (const page of paginateScan(
    { client: db },
    {
      TableName: table,
      ProjectionExpression: 'pk, sk, #request.#contact.#email',
      FilterExpression: 'sk = :sk AND attribute_exists(#request.#contact.#email)',
      ExpressionAttributeNames: { '#request': 'request', '#contact': 'contact', '#email': 'email' },
      ExpressionAttributeValues: { ':sk': CASE_SK },
    },
  ))
    for (const item of page.Items ?? []) {
      const read = contactItem.safeParse(item);
      const reference = read.success ? referenceOfCaseItem(read.data) : undefined;
      if (
        read.success &&
        reference !== undefined &&
        normalisedAddress(read.data.request.contact.email) === wanted
      )
        references.push(reference);
    }
  return references.sort();
}
