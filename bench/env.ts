/**
 * The environment of a benchmark run, set before the local system composes the functions: they count their AWS
 * calls (`AANSPREEKPUNT_COUNT_CALLS`) and log and publish metrics as on AWS (INFO, EMF), which the run
 * catches to measure the log volume instead of printing it.
 */
import { CALL_COUNTING_ENV } from '../infra/local/instrumentation/call-counter.js';

Object.assign(process.env, {
  [CALL_COUNTING_ENV]: 'true',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_METRICS_DISABLED: 'false',
  POWERTOOLS_METRICS_NAMESPACE: 'Aanspreekpunt',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});
delete process.env.POWERTOOLS_DEV;

/**
 * Swallows the functions' JSON log lines (and EMF metric lines) on stdout and stderr and counts their bytes;
 * everything else passes through.
 */
export function catchLogs() {
  let bytes = 0;
  const wrap = (stream: NodeJS.WriteStream) => {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
      if (text.startsWith('{')) {
        bytes += Buffer.byteLength(text);
        const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }
      return write(chunk, ...rest);
    }) as typeof stream.write;
    return () => {
      stream.write = write as typeof stream.write;
    };
  };
  const restore = [wrap(process.stdout), wrap(process.stderr)];
  return {
    get bytes() {
      return bytes;
    },
    reset() {
      bytes = 0;
    },
    restore() {
      for (const r of restore) r();
    },
  };
}
