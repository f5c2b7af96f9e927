import { DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import {
  GetAccountCommand,
  GetEmailIdentityCommand,
  NotFoundException,
  SESv2Client,
} from '@aws-sdk/client-sesv2';
import {
  ListSubscriptionsByTopicCommand,
  SNSClient,
  NotFoundException as TopicNotFound,
} from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, QueueDoesNotExist, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoOfficialDirectory } from '../../functions/adapters/officials.js';
import type { DoctorSources } from './checks.js';

/** Where the doctor reads: AWS itself (the default chain and Region), or one AWS-compatible endpoint (moto). */
export interface Target {
  readonly endpoint?: string;
  readonly region?: string;
}

/** The doctor's sources over the SDK clients: read-only calls only. */
export function awsSources(target: Target = {}) {
  const options = {
    ...(target.endpoint === undefined
      ? {}
      : { endpoint: target.endpoint, credentials: { accessKeyId: 'doctor', secretAccessKey: 'doctor' } }),
    ...(target.region === undefined ? {} : { region: target.region }),
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
    maxAttempts: 2,
  };
  const ses = new SESv2Client(options);
  const dynamo = new DynamoDBClient(options);
  const sqs = new SQSClient(options);
  const sns = new SNSClient(options);
  const missing = <T>(error: unknown, ...types: (new (...args: never[]) => unknown)[]): T | undefined => {
    if (types.some((type) => error instanceof type)) return undefined;
    throw error;
  };
  const sources: DoctorSources = {
    async emailIdentity(name) {
      try {
        const found = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: name }));
        return {
          verifiedForSending: found.VerifiedForSendingStatus === true,
          dkim: found.DkimAttributes?.Status,
          mailFrom:
            found.MailFromAttributes?.MailFromDomain === undefined
              ? undefined
              : {
                  domain: found.MailFromAttributes.MailFromDomain,
                  status: found.MailFromAttributes.MailFromDomainStatus,
                },
        };
      } catch (error) {
        return missing(error, NotFoundException);
      }
    },
    async account() {
      const account = await ses.send(new GetAccountCommand({}));
      return {
        productionAccess: account.ProductionAccessEnabled === true,
        sendingEnabled: account.SendingEnabled !== false,
        maxSendRate: account.SendQuota?.MaxSendRate ?? 0,
        max24HourSend: account.SendQuota?.Max24HourSend ?? 0,
      };
    },
    async tableStatus(table) {
      try {
        return (await dynamo.send(new DescribeTableCommand({ TableName: table }))).Table?.TableStatus;
      } catch (error) {
        return missing(error, ResourceNotFoundException);
      }
    },
    async queueDepth(url) {
      try {
        const { Attributes } = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
        );
        return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
      } catch (error) {
        return missing(error, QueueDoesNotExist);
      }
    },
    async officialIds(table) {
      const directory = dynamoOfficialDirectory(DynamoDBDocumentClient.from(dynamo), table, { cacheMs: 0 });
      return (await directory.list()).map((o) => o.id);
    },
    async subscriptions(topicArn) {
      try {
        let confirmed = 0;
        let pending = 0;
        let next: string | undefined;
        do {
          const page = await sns.send(
            new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: next }),
          );
          for (const s of page.Subscriptions ?? [])
            if (s.SubscriptionArn === 'PendingConfirmation') pending++;
            else confirmed++;
          next = page.NextToken;
        } while (next !== undefined);
        return { confirmed, pending };
      } catch (error) {
        return missing(error, TopicNotFound);
      }
    },
  };
  const close = () => {
    for (const client of [ses, dynamo, sqs, sns]) client.destroy();
  };
  return { sources, close };
}
