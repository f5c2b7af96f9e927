import type { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Whether this process may trace: inside Lambda (`AWS_EXECUTION_ENV` set) unless
 * `POWERTOOLS_TRACE_ENABLED=false`, the rule Powertools itself applies (it also stays off under SAM local and
 * Amplify mocks, which it checks once loaded). The local runtime, the tests and the benchmark run outside
 * Lambda, without an X-Ray daemon, and trace nothing.
 */
export function tracingWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.AWS_EXECUTION_ENV ?? '') !== '' && env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false';
}

/**
 * X-Ray tracing through Powertools, one tracer per process (its service name from POWERTOOLS_SERVICE_NAME,
 * which the house function sets), or none where tracing is off. The tracer is imported only where it may
 * trace: the X-Ray SDK under it enables an async hook with a destroy callback as it loads (cls-hooked), which
 * makes every promise of the process several times slower, traced or not. Outgoing HTTP is not patched
 * globally: the only calls are the SDK clients', which `captured` wraps, and the link key's fetch at init,
 * outside any invocation.
 */
export const tracer: Tracer | undefined = tracingWanted()
  ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ captureHTTPsRequests: false })
  : undefined;

/** An SDK client whose calls the tracer records as subsegments; the client itself where tracing is off. */
export function captured<C extends Parameters<Tracer['captureAWSv3Client']>[0]>(client: C): C {
  return tracer === undefined ? client : tracer.captureAWSv3Client(client);
}

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
  using: InvocationTracer | undefined = tracer,
): Promise<R> {
  const segment = using?.isTracingEnabled() ? using.getSegment() : undefined;
  if (using === undefined || segment === undefined) return work();
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
