import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { type Case, type Contact, tagDepartments } from '../../functions/domain/case.js';
import { assignmentMail } from '../../functions/domain/mail/assignment.js';
import { enterpriseMail } from '../../functions/domain/mail/enterprise.js';
import { startClocks } from '../../functions/domain/sla.js';
import { sampleRequest, submittedCase } from '../support/cases.js';

const REFERENCE = 'AP-7KX4-M9QD';

const official = (language: 'nl' | 'en'): Contact => ({
  kind: 'official',
  id: 'a-jansen',
  name: 'Anouk Jansen',
  email: 'a.jansen@voorbeeld.example',
  language,
});

function routedCase(changes: { name?: string; description?: string } = {}): Case {
  const sample = sampleRequest();
  const request = {
    ...sample,
    organisation: { ...sample.organisation, name: changes.name ?? sample.organisation.name },
    description: changes.description ?? sample.description,
  };
  const c = submittedCase(REFERENCE, request);
  return { ...c, tags: tagDepartments(request, municipality) };
}

describe('assignmentMail', () => {
  it('goes to the contact', () => {
    const mail = assignmentMail(routedCase(), official('nl'), municipality);

    expect(mail.to).toBe('a.jansen@voorbeeld.example');
  });

  it('is written in Dutch for a Dutch-speaking official', () => {
    const mail = assignmentMail(routedCase(), official('nl'), municipality);

    expect(mail.subject).toBe(
      `Nieuwe aanvraag ${REFERENCE}: u bent het aanspreekpunt voor De Groene Fietsfabriek`,
    );
    expect(mail.text).toContain('KvK-nummer: 12345678');
    expect(mail.text).toContain(
      'Werk en Inkomen (leidend): doel: Werk voor mensen met een afstand tot de arbeidsmarkt',
    );
    expect(mail.text).toContain('Economische Zaken: soort aanvraag: Samenwerking');
    expect(mail.html).toContain('<html lang="nl">');
  });

  it('is written in English for an English-speaking official, whatever the language of the request', () => {
    const mail = assignmentMail(routedCase(), official('en'), municipality);

    expect(mail.subject).toBe(
      `New request ${REFERENCE}: you are the point of contact for De Groene Fietsfabriek`,
    );
    expect(mail.text).toContain('KvK number: 12345678');
    expect(mail.text).toContain(
      'Work and Income (lead): goal: Work for people distant from the labour market',
    );
    expect(mail.text).toContain('Economic Affairs: request type: Partnership');
    expect(mail.html).toContain('<html lang="en">');
  });

  it('names the contact person with e-mail and phone', () => {
    const mail = assignmentMail(routedCase(), official('nl'), municipality);

    expect(mail.text).toContain(
      'Contactpersoon: Marieke van Dijk, marieke@groenefietsfabriek.example, +31 6 12345678',
    );
  });

  it('escapes a script in the description in the html part', () => {
    const description = 'Wij doen mee. <script>alert("x")</script> & meer';

    const mail = assignmentMail(routedCase({ description }), official('nl'), municipality);

    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; meer');
  });

  it('escapes markup in the organisation name everywhere in the html part', () => {
    const name = '<img src=x onerror=alert(1)> B.V.';

    const mail = assignmentMail(routedCase({ name }), official('en'), municipality);

    expect(mail.html).not.toContain('<img');
    // The title (the subject) and the body's two mentions, each escaped
    expect(mail.html.split('&lt;img src=x onerror=alert(1)&gt; B.V.').length - 1).toBe(3);
    expect(mail.html).toContain(
      `<title>${mail.subject.replace('<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;')}</title>`,
    );
  });

  it('keeps the text part as plain text', () => {
    const description = 'Wij doen mee. <script>alert("x")</script>\nTweede regel.';

    const mail = assignmentMail(routedCase({ description }), official('nl'), municipality);

    expect(mail.text).toContain(description);
  });

  it('has no line break in the subject even when the organisation name has one', () => {
    const name = 'Evil B.V.\r\nBcc: everyone@voorbeeld.example';

    const mail = assignmentMail(routedCase({ name }), official('nl'), municipality);

    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject).toBe(
      `Nieuwe aanvraag ${REFERENCE}: u bent het aanspreekpunt voor Evil B.V. Bcc: everyone@voorbeeld.example`,
    );
  });
});

describe('the promises in the e-mails', () => {
  /** The routed case submitted on Monday 7 December 2026 at 22:52, with its clocks started then. */
  function promisedCase(language: 'nl' | 'en'): Case {
    const c = routedCase();
    const submittedAt = new Date('2026-12-07T21:52:00.000Z');
    return {
      ...c,
      submittedAt: submittedAt.toISOString(),
      request: { ...c.request, language },
      status: 'assigned',
      clocks: startClocks(submittedAt, c.request.requestType, municipality.sla),
    };
  }

  it('promise the enterprise a day, by its weekday and date, in Dutch and in English', () => {
    const nl = enterpriseMail({
      c: promisedCase('nl'),
      contact: official('nl'),
      m: municipality,
      statusUrl: undefined,
    });
    const en = enterpriseMail({
      c: promisedCase('en'),
      contact: official('nl'),
      m: municipality,
      statusUrl: undefined,
    });

    expect(nl.text).toContain('Eerste contact uiterlijk donderdag 10 december 2026: 3 werkdagen');
    expect(en.text).toContain('First contact by Thursday 10 December 2026: 3 working days');
    expect(nl.text).not.toContain('22:52');
  });

  it('tell the official the moment a promise falls due, at the end of its working day', () => {
    const mail = assignmentMail(promisedCase('nl'), official('nl'), municipality);

    expect(mail.text).toContain('Eerste contact uiterlijk donderdag 10 december 2026 om 17:00: 3 werkdagen');
  });
});
