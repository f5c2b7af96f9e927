import { runScheduledJob } from './scheduled-job.js';

/**
 * `npm run remind -- --at <moment>`: runs the SLA job once against the local system of `npm start`, as if
 * the schedule fired at that moment. Running it twice at the same moment sends nothing twice.
 */
await runScheduledJob('remind', 'sla', 'the SLA job (reminders, breaches, escalations)');
