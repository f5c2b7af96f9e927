import type { Municipality } from '../../../config/schema.js';
import { html, trusted } from '../../../functions/domain/html.js';
import type { Language } from '../../../functions/domain/messages.js';
import { CLOCKS } from '../../../functions/domain/sla.js';
import { fill } from '../../../functions/intake/texts.js';
import { layout } from '../../../functions/intake/views.js';
import { barChart, COLORS } from './charts.js';
import { AGE_BUCKETS, CASE_STATUSES, type OpsFigures, SLA_STATES, type SlaState } from './figures.js';
import { opsTexts } from './texts.js';

/** Seconds between refreshes when the user turns automatic refreshing on. */
export const AUTO_REFRESH_SECONDS = 60;

const STYLE = trusted(`<style>
main { max-width: 56rem; }
header, footer { max-width: 56rem; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .75rem; padding: 0; margin: 0 0 1.5rem; }
.tiles div { border: 2px solid #1b1b1b; padding: .5rem .75rem; }
.tiles dt { font-size: .9375rem; }
.tiles dd { margin: 0; font-size: 1.75rem; font-weight: 700; }
.tiles .alert { border-color: #b00020; border-left-width: 8px; }
.chart { margin: 0 0 1.5rem; }
h3 { font-size: 1.125rem; margin: 0 0 .5rem; }
.chart svg { display: block; max-width: 100%; height: auto; }
.chart svg .label { font-weight: 600; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { text-align: left; padding: .25rem .75rem .25rem 0; border-bottom: 1px solid #4a4a4a; vertical-align: top; }
td.number, th.number { text-align: right; }
caption { text-align: left; font-weight: 600; }
.warning { border-left: 6px solid #b00020; padding: .5rem 1rem; background: #fdf0f2; }
</style>`);

const formatMoment = (iso: string, lang: Language) =>
  new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'medium',
    timeZone: 'Europe/Amsterdam',
  }).format(new Date(iso));

const SLA_COLORS: Record<SlaState, string> = {
  met: COLORS.good,
  breached: COLORS.bad,
  running: COLORS.neutral,
  paused: COLORS.waiting,
};

export interface OpsPageOptions {
  readonly figures: OpsFigures;
  readonly lang: Language;
  readonly municipality: Municipality;
  /** Refresh the page by itself (only when the user asked for it: a timed refresh is a WCAG 2.2.1 issue). */
  readonly autoRefresh: boolean;
  /** The DLQ's name, to look it up in the emulator. */
  readonly deadLetterQueue: string;
}

/** The local ops page: server-rendered, no script, Dutch first with English. */
export function opsPage(o: OpsPageOptions): string {
  const t = opsTexts[o.lang];
  const f = o.figures;
  const other: Language = o.lang === 'nl' ? 'en' : 'nl';
  const href = (lang: Language, auto = o.autoRefresh) =>
    `/ops?lang=${lang}${auto ? `&refresh=${AUTO_REFRESH_SECONDS}` : ''}`;
  const chart = (
    id: string,
    title: string,
    rowHeader: string,
    rows: { label: string; value: number }[],
    color: string = COLORS.accent,
  ) =>
    barChart({
      id,
      title,
      rowHeader,
      tableLabel: t.asTable,
      series: [{ label: t.value, color }],
      rows: rows.map((r) => ({ label: r.label, values: [r.value] })),
    });
  const dlq = f.queues.deadLetter.visible + f.queues.deadLetter.inFlight;

  const tile = (id: string, label: string, value: number, alert = false) =>
    html`<div class="${alert ? 'alert' : ''}" id="tile-${id}"><dt>${label}</dt><dd>${value}</dd></div>`;

  const main = html`<h1>${t.title}</h1>
<p>${t.intro}</p>
<p>${fill(t.asOf, { at: formatMoment(f.at, o.lang) })} <a href="${href(o.lang)}">${t.refresh}</a> ·
${
  o.autoRefresh
    ? html`${fill(t.autoRefreshOn, { seconds: String(AUTO_REFRESH_SECONDS) })} <a href="${href(o.lang, false)}">${t.autoRefreshOff}</a>`
    : html`<a href="${href(o.lang, true)}">${fill(t.autoRefresh, { seconds: String(AUTO_REFRESH_SECONDS) })}</a>`
} · <a href="/ops.json">${t.json}</a></p>
${f.unreadable > 0 ? html`<p class="warning">${fill(t.unreadable, { count: String(f.unreadable) })}</p>` : ''}

<h2>${t.summary}</h2>
<dl class="tiles">
${tile('total', t.total, f.total)}
${tile('open', t.open, f.open)}
${tile('breached', t.breachedOpen, f.openBreached, f.openBreached > 0)}
${tile('route', t.routeQueue, f.queues.route.visible + f.queues.route.inFlight)}
${tile('dlq', t.deadLetter, dlq, dlq > 0)}
${tile('errors', t.recentErrors, f.errors.length, f.errors.length > 0)}
</dl>

<h2>${t.byStatus}</h2>
${chart(
  'chart-status',
  t.byStatus,
  t.byStatus,
  CASE_STATUSES.map((s) => ({ label: t.status[s], value: f.byStatus[s] })),
)}

<h2>${t.sla}</h2>
<p>${t.slaIntro}</p>
${CLOCKS.map(
  (clock) =>
    html`<section aria-labelledby="sla-${clock}"><h3 id="sla-${clock}">${t.clock[clock]}</h3>${barChart({
      id: `chart-sla-${clock}`,
      title: `${t.sla}: ${t.clock[clock]}`,
      rowHeader: t.clock[clock],
      tableLabel: t.asTable,
      series: [{ label: t.value, color: COLORS.accent }],
      rows: SLA_STATES.map((s) => ({
        label: t.slaState[s],
        values: [f.sla[clock][s]],
        color: SLA_COLORS[s],
      })),
    })}</section>`,
)}

<h2>${t.byAge}</h2>
<p>${t.byAgeIntro}${f.oldestOpen === undefined ? '' : ` ${fill(t.oldest, { reference: f.oldestOpen.reference, days: String(f.oldestOpen.ageDays) })}`}</p>
${chart(
  'chart-age',
  t.byAge,
  t.byAge,
  AGE_BUCKETS.map((b) => ({
    label: t.age[b.id],
    value: f.openByAge.find((a) => a.bucket === b.id)?.count ?? 0,
  })),
)}

<h2 id="departments-heading">${t.byDepartment}</h2>
<p>${t.byDepartmentIntro}</p>
${barChart({
  id: 'chart-departments',
  title: t.byDepartment,
  rowHeader: t.department,
  series: [
    { label: t.lead, color: COLORS.accent },
    { label: t.touched, color: COLORS.neutral },
  ],
  rows: f.byDepartment.map((d) => ({ label: d.name[o.lang], values: [d.lead, d.touched] })),
})}
<table id="departments" aria-labelledby="departments-heading">
<thead><tr><th scope="col">${t.department}</th><th scope="col" class="number">${t.lead}</th><th scope="col" class="number">${t.touched}</th><th scope="col" class="number">${t.openLead}</th><th scope="col" class="number">${t.breachedLead}</th></tr></thead>
<tbody>${f.byDepartment.map(
    (d) =>
      html`<tr><th scope="row">${d.name[o.lang]}</th><td class="number">${d.lead}</td><td class="number">${d.touched}</td><td class="number">${d.open}</td><td class="number">${d.breached}</td></tr>`,
  )}</tbody>
</table>

<h2>${t.queues}</h2>
${barChart({
  id: 'chart-queues',
  title: t.queues,
  rowHeader: t.queue,
  tableLabel: t.asTable,
  series: [
    { label: t.visible, color: COLORS.accent },
    { label: t.inFlight, color: COLORS.waiting },
  ],
  rows: [
    { label: t.routeQueue, values: [f.queues.route.visible, f.queues.route.inFlight] },
    { label: t.deadLetter, values: [f.queues.deadLetter.visible, f.queues.deadLetter.inFlight] },
  ],
})}
${dlq > 0 ? html`<p class="warning" id="dlq-warning">${fill(t.deadLetterWarning, { count: String(dlq), queue: o.deadLetterQueue })}</p>` : ''}

<h2 id="officials-heading">${t.officials}</h2>
${f.withCoordinator > 0 ? html`<p class="warning">${fill(t.withCoordinator, { count: String(f.withCoordinator) })}</p>` : ''}
<table id="officials" aria-labelledby="officials-heading">
<thead><tr><th scope="col">${t.official}</th><th scope="col" class="number">${t.openCases}</th><th scope="col" class="number">${t.capacity}</th><th scope="col">${t.today}</th></tr></thead>
<tbody>${f.officials.map(
    (p) =>
      html`<tr><th scope="row">${p.name}</th><td class="number">${p.open}</td><td class="number">${p.capacity}</td><td>${p.presentToday ? t.present : t.absent}</td></tr>`,
  )}</tbody>
</table>

<h2 id="errors-heading">${t.recentErrors}</h2>
${
  f.errors.length === 0
    ? html`<p id="no-errors">${t.noErrors}</p>`
    : html`<table id="errors" aria-labelledby="errors-heading">
<thead><tr><th scope="col">${t.when}</th><th scope="col">${t.where}</th><th scope="col">${t.message}</th></tr></thead>
<tbody>${f.errors.map((e) => html`<tr><td>${formatMoment(e.at, o.lang)}</td><td>${e.where}</td><td>${e.message}</td></tr>`)}</tbody>
</table>`
}`;

  return layout({
    lang: o.lang,
    title: t.title,
    municipality: o.municipality,
    switchHref: href(other),
    main,
    head: html`${STYLE}${o.autoRefresh ? trusted(`<meta http-equiv="refresh" content="${AUTO_REFRESH_SECONDS}">`) : ''}`,
  });
}
