import { accessSync, constants } from 'node:fs';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { z } from 'zod';

/**
 * Browser tests run on the system's Chromium (Debian package `chromium`), never on a browser that
 * Playwright downloads. Without it they are skipped with a reason on a user's machine, but on CI
 * (`CI=true`) a missing Chromium is an error: CI always runs them.
 */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Quiet, offline, reproducible: no sandbox (CI runs as root), no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The Chromium to test with (`CHROMIUM_PATH`, else `/usr/bin/chromium`), or `undefined` with a printed
 * reason when there is none. Throws instead when `CI` is `true`.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  if (isExecutable(path)) return path;
  const reason = `no Chromium at ${path}; install the Debian package chromium (CI does)`;
  if (env.CI === 'true') throw new Error(`browser tests cannot run on CI: ${reason}`);
  console.warn(`browser tests skipped: ${reason}`);
  return undefined;
}

/**
 * Starts headless Chromium. `launch` gives every start a fresh, temporary user-data-dir (Playwright
 * creates it under the OS temp dir and removes it on `close()`), and still allows several contexts,
 * e.g. one with JavaScript disabled.
 */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
}

/** The Dutch browser context the pages' users have: locale nl-NL, Amsterdam's time zone. */
export const DUTCH_CONTEXT = { locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' } as const;

const AXE_OPTIONS = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } };

const violationsSchema = z.array(
  z.object({
    id: z.string(),
    impact: z.string().nullable(),
    help: z.string(),
    helpUrl: z.string(),
    nodes: z.array(z.object({ target: z.array(z.string()), html: z.string(), failureSummary: z.string() })),
  }),
);
export type AxeViolation = z.infer<typeof violationsSchema>[number];

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now. The pages forbid scripts by
 * CSP, so axe is evaluated through the DevTools protocol (which CSP does not govern) rather than
 * added as a script tag. Needs a context with JavaScript enabled.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if ((await page.evaluate('typeof window.axe')) !== 'object') await page.evaluate(axe.source);
  const found = await page.evaluate(`axe.run(document, ${JSON.stringify(AXE_OPTIONS)}).then((results) =>
    results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html, failureSummary: n.failureSummary ?? '' })),
    })))`);
  return violationsSchema.parse(found);
}

/** One block per violation: rule id, impact, help and link, then each element with what is wrong. */
export function formatViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map((v) =>
      [
        `${v.id} (${v.impact ?? 'no impact'}): ${v.help} ${v.helpUrl}`,
        ...v.nodes.map(
          (n) => `  at ${n.target.join(' ')}: ${n.html}\n    ${n.failureSummary.replace(/\n/g, '\n    ')}`,
        ),
      ].join('\n'),
    )
    .join('\n');
}

/** Fails the test with each violation listed when axe finds any on the page (`where` names the page). */
export async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `axe violations on ${where}:\n${formatViolations(violations)}`).toEqual([]);
}
