import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { type Municipality, parseMunicipality } from '../../config/schema.js';
import { createIntakeHandler } from '../../functions/intake/handler.js';
import { pageTexts } from '../../functions/intake/texts.js';
import { formPage } from '../../functions/intake/views.js';
import { assetsOf, fileOf, stylesheetsOf } from '../../functions/web/assets.js';
import { negotiateLanguage, pickLanguage } from '../../functions/web/language.js';
import { readBody } from '../../functions/web/request.js';
import { stylesheetCommands } from '../../infra/bundling.js';
import { apiEvent } from '../support/events.js';
import {
  countingMetrics,
  memoryCaseStore,
  memoryQueue,
  memoryRequestCounter,
  silentLog,
} from '../support/fakes.js';

const VOORBEELD_THEME = {
  stylesheet: '@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css',
  className: 'voorbeeld-theme',
};

const intake = (m: Municipality = municipality) =>
  createIntakeHandler({
    cases: memoryCaseStore(),
    queue: memoryQueue(),
    requestCounts: memoryRequestCounter(),
    municipality: m,
    clock: () => new Date('2025-03-03T09:00:00.000Z'),
    randomBytes,
    log: silentLog,
    metrics: countingMetrics(),
  });

const formOf = (m: Municipality) =>
  formPage({ lang: 'nl', municipality: m, values: {}, errors: [], idempotencyKey: 'key-of-the-form' });

const stylesheetLinks = (page: string) =>
  [...page.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]);

describe('language negotiation (Accept-Language with q-values)', () => {
  it.each([
    ['a higher q for Dutch, English listed first', 'en;q=0.1, nl;q=0.9', 'nl'],
    ['a higher q for English, Dutch listed first', 'nl;q=0.2, en;q=0.8', 'en'],
    ['region subtags of ours', 'en-GB', 'en'],
    ['region subtags weighed by q', 'en-GB;q=0.5, nl-BE;q=0.7', 'nl'],
    ['only a wildcard', '*', 'nl'],
    ['a language we do not speak, then a wildcard', 'de, *;q=0.5', 'nl'],
    ['English refused with q=0', 'en;q=0, de', undefined],
    ['Dutch refused with q=0, English accepted', 'nl;q=0, en;q=0.3', 'en'],
    ['no language of ours', 'de-DE, fr;q=0.8', undefined],
    ['an empty header', '', undefined],
  ])('chooses by %s', (_, header, expected) => {
    const language = negotiateLanguage(header);

    expect(language).toBe(expected);
  });

  it('falls back to Dutch when the browser refuses English and names nothing else', () => {
    const language = pickLanguage(undefined, 'en;q=0');

    expect(language).toBe('nl');
  });

  it('answers the form in Dutch for en;q=0.1, nl;q=0.9', async () => {
    const page = await intake()(
      apiEvent({ routeKey: 'GET /', headers: { 'accept-language': 'en;q=0.1, nl;q=0.9' } }),
    );

    expect(page.body).toContain('<html lang="nl">');
    expect(page.body).toContain(pageTexts.nl.submit);
  });
});

describe('body limit', () => {
  it('reads a body up to the limit and refuses one byte more', () => {
    const at = readBody(apiEvent({ routeKey: 'POST /cases', body: 'x'.repeat(10) }), { maxBytes: 10 });
    const over = readBody(apiEvent({ routeKey: 'POST /cases', body: 'x'.repeat(11) }), { maxBytes: 10 });

    expect(at.ok && at.text()).toBe('x'.repeat(10));
    expect(over).toEqual({ ok: false, reason: 'tooLarge' });
  });

  it('counts the bytes of a base64-encoded body, not its encoding', () => {
    const body = Buffer.from('x'.repeat(10)).toString('base64');

    const read = readBody(apiEvent({ routeKey: 'POST /cases', body, isBase64Encoded: true }), {
      maxBytes: 10,
    });

    expect(read.ok && read.text()).toBe('x'.repeat(10));
  });

  it('answers an oversized intake form post with a page that says so', async () => {
    const result = await intake()(
      apiEvent({
        routeKey: 'POST /cases',
        body: `description=${'x'.repeat(40_000)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );

    expect(result.statusCode).toBe(413);
    expect(result.body).toContain(`<h1 class="utrecht-heading-1">${pageTexts.nl.tooLargeTitle}</h1>`);
  });
});

describe('pages on NL Design System', () => {
  it('carry a strict policy: styles only from this origin, no inline style, no script', async () => {
    const page = await intake()(apiEvent({ routeKey: 'GET /' }));

    const policy = page.headers?.['content-security-policy'];
    expect(policy).toContain("style-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).toContain("default-src 'none'");
    expect(page.body).not.toMatch(/<style|\sstyle=|<script/);
  });

  it('use the component classes of the NL Design System on the form', () => {
    const page = formOf(municipality);

    for (const name of [
      'utrecht-page',
      'utrecht-heading-1',
      'utrecht-form-field',
      'utrecht-form-fieldset',
      'utrecht-textbox',
      'utrecht-textarea',
      'utrecht-checkbox',
      'utrecht-radio-button',
      'utrecht-button',
      'utrecht-paragraph',
    ])
      expect(page).toContain(`class="${name}`);
  });

  it('link the components, the theme and the layout, each under a content-hashed name', () => {
    const links = stylesheetLinks(formOf(municipality));

    expect(links).toEqual([
      expect.stringMatching(/^\/assets\/components\.[0-9a-f]{10}\.css$/),
      expect.stringMatching(/^\/assets\/theme\.[0-9a-f]{10}\.css$/),
      expect.stringMatching(/^\/assets\/layout\.[0-9a-f]{10}\.css$/),
    ]);
  });

  it('take their look from the theme in the config: a second theme changes the CSS and the root class', async () => {
    const neutral = municipality;
    const voorbeeld = parseMunicipality({ ...structuredClone(municipality), theme: VOORBEELD_THEME });

    const [neutralPage, voorbeeldPage] = [formOf(neutral), formOf(voorbeeld)];

    expect(neutral.theme.className).toBe('aanspreekpunt-theme');
    expect(neutralPage).toContain('<body class="aanspreekpunt-theme ');
    expect(voorbeeldPage).toContain('<body class="voorbeeld-theme ');
    const [neutralTheme, voorbeeldTheme] = [neutralPage, voorbeeldPage].map(
      (page) => stylesheetLinks(page)[1],
    );
    expect(neutralTheme).not.toBe(voorbeeldTheme);
    const served = async (m: Municipality, href: string | undefined) =>
      String(
        (
          await intake(m)(
            apiEvent({
              routeKey: 'GET /assets/{file}',
              pathParameters: { file: href?.split('/').pop() ?? '' },
            }),
          )
        ).body,
      );
    expect(await served(neutral, neutralTheme)).toContain('.aanspreekpunt-theme {');
    expect(await served(voorbeeld, voorbeeldTheme)).toContain('.voorbeeld-theme {');
  });

  it('refuses a theme stylesheet outside a package or our styles folder', () => {
    const parse = () =>
      parseMunicipality({
        ...structuredClone(municipality),
        theme: { stylesheet: '../../etc/x.css', className: 'x' },
      });

    expect(parse).toThrow('theme.stylesheet');
  });
});

describe('GET /assets/{file}', () => {
  const get = (file: string, headers: Record<string, string> = {}) =>
    intake()(apiEvent({ routeKey: 'GET /assets/{file}', pathParameters: { file }, headers }));
  const components = () => stylesheetLinks(formOf(municipality))[0]?.split('/').pop() ?? '';

  it('serves a stylesheet by its hashed name, cached for a year', async () => {
    const result = await get(components());

    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('text/css; charset=utf-8');
    expect(result.headers?.['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(String(result.body)).toContain('.utrecht-button');
  });

  it('gzips it for a client that accepts gzip', async () => {
    const result = await get(components(), { 'accept-encoding': 'gzip, br' });

    expect(result.headers?.['content-encoding']).toBe('gzip');
    expect(result.isBase64Encoded).toBe(true);
    expect(gunzipSync(Buffer.from(String(result.body), 'base64')).toString('utf8')).toContain(
      '.utrecht-button',
    );
  });

  it('answers 404 for a name it does not serve, such as an old hash', async () => {
    const result = await get('components.0000000000.css');

    expect(result.statusCode).toBe(404);
    expect(result.headers?.['cache-control']).toBe('no-store');
  });
});

describe('stylesheets in the Lambda bundle', () => {
  it('are copied beside the bundle where the web layer looks for them', () => {
    const commands = stylesheetCommands('/out', municipality.theme);

    expect(commands).toContain(`cp "${fileOf('./layout.css')}" "/out/styles/layout.css"`);
    expect(commands).toContain(`cp "${fileOf('./neutral-theme.css')}" "/out/styles/neutral-theme.css"`);
    expect(commands).toContain(
      `cp "${fileOf('@utrecht/component-library-css/dist/index.css')}" "/out/node_modules/@utrecht/component-library-css/dist/index.css"`,
    );
  });

  it('are found for both themes', () => {
    const files = [municipality.theme, VOORBEELD_THEME].flatMap((theme) =>
      stylesheetsOf(theme).map((sheet) => fileOf(sheet.source)),
    );

    expect(files.every((file) => file.endsWith('.css'))).toBe(true);
    expect(assetsOf(VOORBEELD_THEME).hrefs).toHaveLength(3);
  });
});
