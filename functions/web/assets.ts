import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Theme } from '../../config/schema.js';

/**
 * The stylesheets of every page, served as static files by `GET /assets/{file}` (the intake function) with
 * a content hash in the name, so they can be cached for a year and pages need no inline style (CSP
 * `style-src 'self'`).
 *
 * A stylesheet is named by where it comes from: an npm package's file (`@utrecht/component-library-css/
 * dist/index.css`) or one of ours (`./layout.css`, in functions/web/styles/). Both are found relative to
 * the running module: under tsx from this folder and the project's node_modules; in a Lambda bundle from
 * the `styles/` and `node_modules/` folders the bundling copies beside it (`bundledPathOf`,
 * infra/bundling.ts).
 */

/** Where a stylesheet comes from: `./name.css` (ours) or `package/path.css` (an npm dependency). */
export type StylesheetSource = string;

interface Stylesheet {
  /** The name in the URL, before the hash. */
  readonly name: string;
  readonly source: StylesheetSource;
}

/** The NL Design System components (the Utrecht component library, framework-free CSS). */
export const COMPONENTS_CSS: StylesheetSource = '@utrecht/component-library-css/dist/index.css';
const LAYOUT_CSS: StylesheetSource = './layout.css';

/** In cascade order: the components, the theme's tokens, then our page layout. */
export const stylesheetsOf = (theme: Theme): readonly Stylesheet[] => [
  { name: 'components', source: COMPONENTS_CSS },
  { name: 'theme', source: theme.stylesheet },
  { name: 'layout', source: LAYOUT_CSS },
];

const OWN = /^\.\/([a-z0-9-]+\.css)$/;

/** The file's path relative to the module that serves it: in a bundle, relative to the bundle. */
export function bundledPathOf(source: StylesheetSource): string {
  const own = OWN.exec(source);
  return own?.[1] === undefined ? `node_modules/${source}` : `styles/${own[1]}`;
}

const resolver = createRequire(import.meta.url);

/** The stylesheet's file on this machine. */
export function fileOf(source: StylesheetSource): string {
  const own = OWN.exec(source);
  return own?.[1] === undefined
    ? resolver.resolve(source)
    : fileURLToPath(new URL(`./styles/${own[1]}`, import.meta.url));
}

export interface Asset {
  /** `components.3f2a9c1d0b.css` */
  readonly file: string;
  readonly href: string;
  readonly css: string;
  readonly gzipped: () => Buffer;
}

export interface Assets {
  /** The stylesheet links of a page, in cascade order. */
  readonly hrefs: readonly string[];
  readonly find: (file: string) => Asset | undefined;
}

function load(sheet: Stylesheet): Asset {
  const css = readFileSync(fileOf(sheet.source), 'utf8');
  const hash = createHash('sha256').update(css).digest('hex').slice(0, 10);
  const file = `${sheet.name}.${hash}.css`;
  let gzipped: Buffer | undefined;
  return {
    file,
    href: `/assets/${file}`,
    css,
    gzipped: () => {
      gzipped ??= gzipSync(css);
      return gzipped;
    },
  };
}

const loaded = new Map<string, Assets>();

/** The stylesheets of a theme, read and hashed once per process (on the first page, not at cold start). */
export function assetsOf(theme: Theme): Assets {
  const key = `${theme.stylesheet} ${theme.className}`;
  const known = loaded.get(key);
  if (known !== undefined) return known;
  const assets = stylesheetsOf(theme).map(load);
  const byFile = new Map(assets.map((asset) => [asset.file, asset]));
  const made: Assets = { hrefs: assets.map((asset) => asset.href), find: (file) => byFile.get(file) };
  loaded.set(key, made);
  return made;
}
