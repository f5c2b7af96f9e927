import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { Counter } from '../domain/ports.js';
import { traced } from './tracing.js';

/**
 * Logger and metrics for one function (Powertools: JSON logs, CloudWatch EMF metrics). The service
 * name and namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE when set.
 */
export function observability(service: string) {
  const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? service });
  const metrics = new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Aanspreekpunt',
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? service,
  });
  const counter: Counter = {
    count: (metric, value = 1, dimensions) => {
      if (dimensions === undefined) {
        metrics.addMetric(metric, MetricUnit.Count, value);
        return;
      }
      // Its own EMF line: the dimensions must not apply to the invocation's other metrics.
      const single = metrics.singleMetric();
      single.addDimensions({ ...dimensions });
      single.addMetric(metric, MetricUnit.Count, value);
    },
    duration: (metric, ms) => metrics.addMetric(metric, MetricUnit.Milliseconds, ms),
  };

  /**
   * Wraps a handler as Powertools' middlewares would: each log line of the invocation carries the Lambda
   * context (request id, cold start, function), the invocation runs in its own X-Ray subsegment
   * (`traced`), and its metrics are flushed as one EMF line at its end.
   */
  const instrument =
    <E, R>(handler: (event: E, context: Context) => Promise<R>) =>
    async (event: E, context: Context): Promise<R> => {
      logger.addContext(context);
      try {
        return await traced(service, () => handler(event, context));
      } finally {
        if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      }
    };

  return { logger, counter, instrument };
}
