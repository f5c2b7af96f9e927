import { describe, expect, it } from 'vitest';
import { errorSummary } from '../../functions/domain/errors.js';
import { MailRejectedError } from '../../functions/domain/ports.js';

/** An error as the AWS SDK v3 throws it: a named Error with the service's code, status and fault. */
function sdkError(name: string, message: string) {
  return Object.assign(new Error(message), {
    name,
    Code: name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
}

describe('errorSummary: what a log line says of an error', () => {
  it('keeps the name, code, status and fault of an SDK error, and never its message', () => {
    // Prepare: SES names the address it refused in its message
    const error = sdkError('MessageRejected', 'Email address is not verified: ondernemer@voorbeeld.nl');

    // Act
    const summary = errorSummary(error);

    // Assess
    expect(summary).toEqual({
      name: 'MessageRejected',
      code: 'MessageRejected',
      httpStatus: 400,
      fault: 'client',
    });
    expect(JSON.stringify(summary)).not.toContain('@');
  });

  it("summarises the cause one level deep, without the cause's message either", () => {
    const error = new MailRejectedError(
      'the mail service refused the e-mail to ambtenaar@voorbeeld.nl',
      sdkError('ThrottlingException', 'Rate exceeded for ambtenaar@voorbeeld.nl'),
    );

    const summary = errorSummary(error);

    expect(summary).toEqual({
      name: 'MailRejectedError',
      cause: { name: 'ThrottlingException', code: 'ThrottlingException', httpStatus: 400, fault: 'client' },
    });
    expect(JSON.stringify(summary)).not.toContain('@');
  });

  it('names what is thrown that is not an Error by its type', () => {
    expect(errorSummary('a string with x@y.nl')).toEqual({ name: 'string' });
    expect(errorSummary(undefined)).toEqual({ name: 'undefined' });
  });
});
