import { runScheduledJob } from './scheduled-job.js';

/**
 * `npm run digest -- --at <moment>`: runs the digest job once against the local system of `npm start`, as if
 * its schedule fired at that moment: the digests due then go out, each once.
 */
await runScheduledJob('digest', 'digest', "the digest job (the departments' daily digests)");
