/**
 * AWS list prices the benchmark's cost figure uses: region eu-west-1 (Ireland), on-demand, no free tier,
 * as listed on the public AWS pricing pages (checked 2026-11-27; DynamoDB on demand after the
 * November 2024 price reduction). Update the date with the numbers.
 */
export const PRICES = {
  region: 'eu-west-1',
  checked: '2026-11-27',
  currency: 'USD',
  /** AWS Lambda, arm64: per GB-second of duration and per request. */
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1_000_000,
  /** API Gateway HTTP API: per request (first 300 million a month). */
  httpApiPerRequest: 1.11 / 1_000_000,
  /** DynamoDB on demand: per read request unit and per write request unit. */
  dynamoPerReadUnit: 0.1415 / 1_000_000,
  dynamoPerWriteUnit: 0.7068 / 1_000_000,
  /** SQS standard queue: per request (each 64 KB chunk of a payload is a request). */
  sqsPerRequest: 0.4 / 1_000_000,
  /** SES: per outbound e-mail. */
  sesPerEmail: 0.1 / 1_000,
  /** CloudWatch Logs: per GB ingested (standard log class). */
  logsPerGbIngested: 0.57,
} as const;

/**
 * What the Lambda platform writes per invocation in JSON log format (START, END and REPORT lines); an
 * estimate, because the local runtime writes none of them.
 */
export const PLATFORM_LOG_BYTES_PER_INVOCATION = 600;

export interface Usage {
  readonly cases: number;
  /** Invocations and their summed duration per function, with the function's configured memory. */
  readonly lambda: readonly {
    readonly fn: string;
    readonly invocations: number;
    readonly totalMs: number;
    readonly memoryMb: number;
  }[];
  readonly httpRequests: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly sqsRequests: number;
  readonly emails: number;
  readonly logBytes: number;
}

export interface Cost {
  readonly lambda: number;
  readonly httpApi: number;
  readonly dynamodb: number;
  readonly sqs: number;
  readonly ses: number;
  readonly logs: number;
  readonly total: number;
}

/**
 * The cost of the usage, scaled to `per` cases (default 1,000). Lambda duration is billed per ms, rounded
 * up per invocation: the mean duration of each function is rounded up.
 */
export function costOf(usage: Usage, prices: typeof PRICES = PRICES, per = 1_000): Cost {
  if (usage.cases <= 0) throw new Error('cost of no cases');
  const scale = per / usage.cases;
  let lambda = 0;
  for (const f of usage.lambda) {
    if (f.invocations === 0) continue;
    const billedMs = Math.ceil(f.totalMs / f.invocations) * f.invocations;
    lambda +=
      (billedMs / 1000) * (f.memoryMb / 1024) * prices.lambdaArmPerGbSecond +
      f.invocations * prices.lambdaPerRequest;
  }
  const parts = {
    lambda: lambda * scale,
    httpApi: usage.httpRequests * prices.httpApiPerRequest * scale,
    dynamodb:
      (usage.readUnits * prices.dynamoPerReadUnit + usage.writeUnits * prices.dynamoPerWriteUnit) * scale,
    sqs: usage.sqsRequests * prices.sqsPerRequest * scale,
    ses: usage.emails * prices.sesPerEmail * scale,
    logs: (usage.logBytes / 1024 ** 3) * prices.logsPerGbIngested * scale,
  };
  return { ...parts, total: Object.values(parts).reduce((a, b) => a + b, 0) };
}
