import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/error.js';
import { readMunicipalityFile } from '../../config/file.js';
import { declaration } from '../../functions/declaration.js';
import { defineApplication } from '../../infra/aws/application.js';
import { cdkContext, temporaryFolders } from '../support/cdk.js';
import { DEPLOYABLE_MUNICIPALITY } from '../support/municipalities.js';

// ---------------------------------------------------------------------------------------------
// Prepare: the app as `cdk synth` defines it (cdk.json context), written to temporary folders.
// ---------------------------------------------------------------------------------------------

const temporaryFolder = temporaryFolders('aanspreekpunt-municipality-');

function application(context: Record<string, unknown>) {
  const outdir = temporaryFolder();
  const app = new App({ outdir, context: { ...cdkContext, ...context } });
  return { app, outdir };
}

const lindehoven = readMunicipalityFile(DEPLOYABLE_MUNICIPALITY);

describe('the municipality a stack serves', () => {
  it('refuses the demo config, naming each address on a reserved domain and the setting to change', () => {
    // Prepare: no `municipality` in context, no MUNICIPALITY_CONFIG: the demo config
    const { app } = application({ 'aws:cdk:bundling-stacks': [] });

    // Act
    let refused: unknown;
    try {
      defineApplication(app);
    } catch (error) {
      refused = error;
    }

    // Assess: a ConfigError (app.ts prints it without a trace) naming the file, each path, and what to do
    expect(refused).toBeInstanceOf(ConfigError);
    const message = (refused as Error).message;
    expect(message).toContain('config/municipalities/example.json cannot be deployed');
    expect(message).toMatch(/^ {2}sender: aanspreekpunt@voorbeeld\.example \(\.example\)$/m);
    expect(message).toMatch(/^ {2}officials\.0\.email: a\.jansen@voorbeeld\.example \(\.example\)$/m);
    expect(message).toMatch(/^ {2}departments\.7\.mailbox: /m);
    expect(message).toContain('Set "sender" to an address on the municipality\'s own domain');
    expect(message).toContain('-c municipality=');
  });

  it('refuses a config with one reserved address, and names only that one', () => {
    // Prepare: Lindehoven with one official on example.org
    const dir = temporaryFolder();
    const file = path.join(dir, 'one-reserved.json');
    const raw = JSON.parse(readFileSync(DEPLOYABLE_MUNICIPALITY, 'utf8'));
    raw.officials[2].email = 'd.osei@mail.example.org';
    writeFileSync(file, JSON.stringify(raw));
    const { app } = application({ 'aws:cdk:bundling-stacks': [], municipality: file });

    // Act / Assess
    expect(() => defineApplication(app)).toThrow(
      `${file} cannot be deployed: 1 address is on a domain reserved for examples and tests, which SES can never verify or deliver to:\n  officials.2.email: d.osei@mail.example.org (example.org)\nChange each address above to a real one.`,
    );
  });

  it('fails with the file named when context `municipality` names a file that is missing or invalid', () => {
    const missing = application({
      'aws:cdk:bundling-stacks': [],
      municipality: 'config/municipalities/nergens.json',
    });
    expect(() => defineApplication(missing.app)).toThrow(
      'cannot read the municipality config config/municipalities/nergens.json: ENOENT',
    );
    const invalid = application({ 'aws:cdk:bundling-stacks': [], municipality: 'package.json' });
    expect(() => defineApplication(invalid.app)).toThrow(/^package\.json is invalid:/);
  });

  it('builds the stack of the file context `municipality` names: its sender, its departments', () => {
    // Prepare
    const { app } = application({ 'aws:cdk:bundling-stacks': [], municipality: DEPLOYABLE_MUNICIPALITY });

    // Act
    const template = Template.fromStack(defineApplication(app));

    // Assess: the SES identity is Lindehoven's domain, sending is scoped to its sender, and the dashboard
    // shows its departments, not the demo's
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'gemeente-lindehoven.nl' });
    const text = JSON.stringify(template.toJSON());
    expect(text).toContain(`"ses:FromAddress":"${lindehoven.sender}"`);
    for (const department of lindehoven.departments) expect(text).toContain(department.id);
    expect(text).not.toContain('voorbeeld.example');
    expect(text).not.toContain('duurzaamheid');
  });

  it('embeds that file, and no other, in every function bundle', () => {
    // Prepare: bundling on, as `npm run synth -- -c municipality=...` runs it
    const { app, outdir } = application({ municipality: DEPLOYABLE_MUNICIPALITY });

    // Act
    defineApplication(app);
    app.synth();

    // Assess: one bundle per function, each holding Lindehoven's config and nothing of the demo's
    const bundles = readdirSync(outdir)
      .filter((entry) => entry.startsWith('asset.'))
      .map((entry) => path.join(outdir, entry, 'index.mjs'))
      .filter((file) => existsSync(file));
    expect(bundles).toHaveLength(Object.keys(declaration.functions).length);
    for (const file of bundles) {
      const code = readFileSync(file, 'utf8');
      expect(code, file).toContain('"name":"Gemeente Lindehoven"');
      expect(code, file).toContain(lindehoven.officials[0]?.email);
      expect(code, file).not.toContain('Gemeente Voorbeeld');
      expect(code, file).not.toContain('voorbeeld.example');
    }
  }, 60_000);
});
