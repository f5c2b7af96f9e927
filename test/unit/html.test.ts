import { describe, expect, it } from 'vitest';
import { escapeHtml, headerSafe } from '../../functions/domain/html.js';

describe('escapeHtml', () => {
  it('escapes the characters that can open markup or leave an attribute', () => {
    const escaped = escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`);

    expect(escaped).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;');
  });

  it('leaves ordinary text, accents included, as it is', () => {
    const escaped = escapeHtml('Coördinator sociaal ondernemen, Fatma Yılmaz');

    expect(escaped).toBe('Coördinator sociaal ondernemen, Fatma Yılmaz');
  });

  it('escapes an ampersand that already looks like an entity', () => {
    const escaped = escapeHtml('&lt;script&gt;');

    expect(escaped).toBe('&amp;lt;script&amp;gt;');
  });
});

describe('headerSafe', () => {
  it('removes CR and LF so that no header can be injected', () => {
    const safe = headerSafe('Nieuwe aanvraag\r\nBcc: attacker@example.com');

    expect(safe).toBe('Nieuwe aanvraag Bcc: attacker@example.com');
    expect(safe).not.toMatch(/[\r\n]/);
  });

  it('removes NUL and other control characters', () => {
    const safe = headerSafe('De\u0000Groene\u0007\u001bFiets\u007Ffabriek');

    expect(safe).toBe('De Groene Fiets fabriek');
  });

  it('collapses whitespace and trims', () => {
    const safe = headerSafe('  De   Groene \t Fietsfabriek  ');

    expect(safe).toBe('De Groene Fietsfabriek');
  });

  it('caps the length', () => {
    const safe = headerSafe('x'.repeat(500), 200);

    expect(safe).toHaveLength(200);
  });
});
