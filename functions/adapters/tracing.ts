import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * X-Ray tracing through Powertools, one tracer per process (its service name from POWERTOOLS_SERVICE_NAME,
 * which the house function sets). Powertools turns it on only inside Lambda (`AWS_EXECUTION_ENV` set) and
 * off with `POWERTOOLS_TRACE_ENABLED=false`: the local runtime, the tests and the benchmark run without an
 * X-Ray daemon and trace nothing. Outgoing HTTP is not patched globally: the only calls are the SDK
 * clients', which `createClients` captures, and the link key's fetch at init, outside any invocation.
 */
export const tracer = new Tracer({ captureHTTPsRequests: false });

/** The part of the tracer that `traced` uses (a test passes its own). */
export type InvocationTracer = Pick<
  Tracer,
  'isTracingEnabled' | 'getSegment' | 'setSegment' | 'annotateColdStart' | 'addServiceNameAnnotation'
>;

/**
 * Runs one invocation in its own subsegment `## <name>`, annotated with `ColdStart` and `Service`, as
 * Powertools' handler middleware does. A failure only flags the subsegment: error messages (an SDK error's
 * cause) can hold e-mail addresses. Responses are not recorded either: they are pages with personal data.
 */
export async function traced<R>(
  name: string,
  work: () => Promise<R>,
  using: InvocationTracer = tracer,
): Promise<R> {
  const segment = using.isTracingEnabled() ? using.getSegment() : undefined;
  if (segment === undefined) return work();
  const subsegment = segment.addNewSubsegment(`## ${name}`);
  using.setSegment(subsegment);
  using.annotateColdStart();
  using.addServiceNameAnnotation();
  try {
    return await work();
  } catch (error) {
    subsegment.addErrorFlag();
    throw error;
  } finally {
    subsegment.close();
    using.setSegment(segment);
  }
}
