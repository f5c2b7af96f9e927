import type { Municipality } from '../../../config/schema.js';
import { formatMoment } from '../../../functions/domain/calendar.js';
import { html, trusted } from '../../../functions/domain/html.js';
import type { Language } from '../../../functions/domain/messages.js';
import { CLOCKS } from '../../../functions/domain/sla.js';
import { alert, link, paragraph } from '../../../functions/web/components.js';
import { otherLanguage } from '../../../functions/web/language.js';
import { layout } from '../../../functions/web/layout.js';
import { fill } from '../../../functions/web/texts.js';
import { barChart, COLORS } from './charts.js';
import { AGE_BUCKETS, CASE_STATUSES, type OpsFigures, SLA_STATES, type SlaState } from './figures.js';
import { opsTexts } from './texts.js';

/** Seconds between refreshes when the user turns automatic refreshing on. */
export const AUTO_REFRESH_SECONDS = 60;

const formatAt = (iso: string, lang: Language) => formatMoment(iso, lang, { date: 'long', time: 'medium' });

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
  const other = otherLanguage(o.lang);
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

  const tile = (id: string, label: string, value: number, warn = false) =>
    html`<div class="${warn ? 'aanspreekpunt-tile--alert' : ''}" id="tile-${id}"><dt>${label}</dt><dd>${value}</dd></div>`;

  const warning = (text: string, id?: string) =>
    alert('warning', paragraph(text), id === undefined ? undefined : html` id="${id}"`);
  const main = html`<h1 class="utrecht-heading-1">${t.title}</h1>
${paragraph(t.intro)}
${paragraph(html`${fill(t.asOf, { at: formatAt(f.at, o.lang) })} ${link(href(o.lang), t.refresh)} ·
${
  o.autoRefresh
    ? html`${fill(t.autoRefreshOn, { seconds: String(AUTO_REFRESH_SECONDS) })} ${link(href(o.lang, false), t.autoRefreshOff)}`
    : link(href(o.lang, true), fill(t.autoRefresh, { seconds: String(AUTO_REFRESH_SECONDS) }))
} · ${link('/ops.json', t.json)}`)}
${f.unreadable > 0 ? warning(fill(t.unreadable, { count: String(f.unreadable) })) : ''}

<h2 class="utrecht-heading-2">${t.summary}</h2>
<dl class="aanspreekpunt-tiles">
${tile('total', t.total, f.total)}
${tile('open', t.open, f.open)}
${tile('breached', t.breachedOpen, f.openBreached, f.openBreached > 0)}
${tile('route', t.routeQueue, f.queues.route.visible + f.queues.route.inFlight)}
${tile('dlq', t.deadLetter, dlq, dlq > 0)}
${tile('errors', t.recentErrors, f.errors.length, f.errors.length > 0)}
</dl>

<h2 class="utrecht-heading-2">${t.byStatus}</h2>
${chart(
  'chart-status',
  t.byStatus,
  t.byStatus,
  CASE_STATUSES.map((s) => ({ label: t.status[s], value: f.byStatus[s] })),
)}

<h2 class="utrecht-heading-2">${t.sla}</h2>
${paragraph(t.slaIntro)}
${CLOCKS.map(
  (clock) =>
    html`<section aria-labelledby="sla-${clock}"><h3 class="utrecht-heading-3" id="sla-${clock}">${t.clock[clock]}</h3>${barChart(
      {
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
      },
    )}</section>`,
)}

<h2 class="utrecht-heading-2">${t.byAge}</h2>
${paragraph(`${t.byAgeIntro}${f.oldestOpen === undefined ? '' : ` ${fill(t.oldest, { reference: f.oldestOpen.reference, days: String(f.oldestOpen.ageDays) })}`}`)}
${chart(
  'chart-age',
  t.byAge,
  t.byAge,
  AGE_BUCKETS.map((b) => ({
    label: t.age[b.id],
    value: f.openByAge.find((a) => a.bucket === b.id)?.count ?? 0,
  })),
)}

<h2 class="utrecht-heading-2" id="departments-heading">${t.byDepartment}</h2>
${paragraph(t.byDepartmentIntro)}
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
<table class="utrecht-table utrecht-table--html-table" id="departments" aria-labelledby="departments-heading">
<thead class="utrecht-table__header"><tr><th scope="col" class="utrecht-table__header-cell">${t.department}</th><th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column">${t.lead}</th><th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column">${t.touched}</th><th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column">${t.openLead}</th><th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column">${t.breachedLead}</th></tr></thead>
<tbody class="utrecht-table__body">${f.byDepartment.map(
    (d) =>
      html`<tr class="utrecht-table__row"><th scope="row" class="utrecht-table__header-cell">${d.name[o.lang]}</th><td class="utrecht-table__cell utrecht-table__cell--numeric-data">${d.lead}</td><td class="utrecht-table__cell utrecht-table__cell--numeric-data">${d.touched}</td><td class="utrecht-table__cell utrecht-table__cell--numeric-data">${d.open}</td><td class="utrecht-table__cell utrecht-table__cell--numeric-data">${d.breached}</td></tr>`,
  )}</tbody>
</table>

<h2 class="utrecht-heading-2">${t.queues}</h2>
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
${dlq > 0 ? warning(fill(t.deadLetterWarning, { count: String(dlq), queue: o.deadLetterQueue }), 'dlq-warning') : ''}

<h2 class="utrecht-heading-2" id="officials-heading">${t.officials}</h2>
${f.withCoordinator > 0 ? warning(fill(t.withCoordinator, { count: String(f.withCoordinator) })) : ''}
<table class="utrecht-table utrecht-table--html-table" id="officials" aria-labelledby="officials-heading">
<thead class="utrecht-table__header"><tr><th scope="col" class="utrecht-table__header-cell">${t.official}</th><th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column">${t.openCases}</th><th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column">${t.capacity}</th><th scope="col" class="utrecht-table__header-cell">${t.today}</th></tr></thead>
<tbody class="utrecht-table__body">${f.officials.map(
    (p) =>
      html`<tr class="utrecht-table__row"><th scope="row" class="utrecht-table__header-cell">${p.name}</th><td class="utrecht-table__cell utrecht-table__cell--numeric-data">${p.open}</td><td class="utrecht-table__cell utrecht-table__cell--numeric-data">${p.capacity}</td><td class="utrecht-table__cell">${p.presentToday ? t.present : t.absent}</td></tr>`,
  )}</tbody>
</table>

<h2 class="utrecht-heading-2" id="errors-heading">${t.recentErrors}</h2>
${
  f.errors.length === 0
    ? html`<p class="utrecht-paragraph" id="no-errors">${t.noErrors}</p>`
    : html`<table class="utrecht-table utrecht-table--html-table" id="errors" aria-labelledby="errors-heading">
<thead class="utrecht-table__header"><tr><th scope="col" class="utrecht-table__header-cell">${t.when}</th><th scope="col" class="utrecht-table__header-cell">${t.where}</th><th scope="col" class="utrecht-table__header-cell">${t.message}</th></tr></thead>
<tbody class="utrecht-table__body">${f.errors.map((e) => html`<tr class="utrecht-table__row"><td class="utrecht-table__cell">${formatAt(e.at, o.lang)}</td><td class="utrecht-table__cell">${e.where}</td><td class="utrecht-table__cell">${e.message}</td></tr>`)}</tbody>
</table>`
}`;

  return layout({
    lang: o.lang,
    title: t.title,
    municipality: o.municipality,
    switchHref: href(other),
    main,
    head: o.autoRefresh
      ? trusted(`<meta http-equiv="refresh" content="${AUTO_REFRESH_SECONDS}">`)
      : undefined,
    wide: true,
  });
}
