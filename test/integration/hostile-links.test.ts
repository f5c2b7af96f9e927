import { randomBytes } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { satisfactionStatus, satisfactionTexts } from '../../functions/actions/satisfaction.js';
import { actionTexts, type LinkProblem, problemStatus } from '../../functions/actions/texts.js';
import { secretEnv } from '../../functions/declaration.js';
import {
  type Action,
  type ActionClaims,
  newLinkId,
  type SatisfactionClaims,
  signAction,
  signMyCases,
  signSatisfaction,
} from '../../functions/domain/action-link.js';
import { escapeHtml } from '../../functions/domain/html.js';
import type { Language } from '../../functions/domain/messages.js';
import { required } from '../support/cases.js';
import { type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import { linkAfter as anyLinkAfter, eventually } from '../support/mailbox.js';

/**
 * Hostile use of the officials' action links against the local system: tampered, forged, for another case
 * or official, expired, replayed, and the GET a mail scanner makes. Each request must change NOTHING: every
 * item of the case in the table is byte-for-byte what it was (compared as canonical JSON of the raw
 * DynamoDB attribute values), no e-mail goes out, and the page says why in the link's language.
 */

/** The URL after a label in the text part of an e-mail (`label: url`). */
const linkAfter = (text: string, label: RegExp): string => {
  const line = text.split('\n').find((l) => label.test(l));
  const url = line?.match(/(https?:\/\/\S+\/actions\/[A-Za-z0-9_.-]+)\s*$/)?.[1];
  if (url === undefined) throw new Error(`no link after ${label} in:\n${text}`);
  return url;
};

/** The actions of an official's e-mail (a department's join link is in its digest). */
type OfficialAction = Exclude<Action, 'join'>;

const LABELS: Record<OfficialAction, RegExp> = {
  'contact-made': /^(Contact gemaakt|Contact made)/,
  resolve: /^(Afronden|Resolve)/,
  pause: /^(Pauzeren|Pause)/,
  resume: /^(Hervatten|Resume)/,
  'hand-over': /^(Overdragen|Hand over)/,
};

/** A form body each action would accept: a refusal can only come from the link. */
const ACCEPTABLE: Record<Action, string> = {
  'contact-made': '',
  resolve: 'result=granted&outcome=Afgerond',
  pause: 'reason=Wachten+op+stukken',
  resume: '',
  'hand-over': 'to=routing',
  join: '',
};

/** JSON with sorted keys, so equal items give equal strings whatever order the emulator returns. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

const tokenOf = (url: string) => required(url.split('/actions/')[1], 'a token in the link');
const claimsOf = (url: string): ActionClaims =>
  JSON.parse(Buffer.from(required(tokenOf(url).split('.')[0], 'claims'), 'base64url').toString('utf8'));

describe('hostile action links change nothing and say why', () => {
  let s: RoutingSystem;
  let key: Buffer;
  /** Case A, routed, with the links of its assignment e-mail. */
  let a: { reference: string; contact: string; lang: Language; links: Record<OfficialAction, string> };
  /** Case B, routed to another official. */
  let b: { reference: string; contact: string };

  async function routedWithLinks(kvkNumber: string, goals: string[], description: string) {
    const { reference } = await s.submit(
      requestBody({ kvkNumber, goals, requestType: 'question', description }),
    );
    const { contact, mails } = await s.routed(reference);
    const text = required(
      mails.find((m) => m.destination.to.includes(contact.email)),
      'the assignment e-mail',
    ).body.text;
    const links = Object.fromEntries(
      Object.entries(LABELS).map(([action, label]) => [action, linkAfter(text ?? '', label)]),
    ) as Record<OfficialAction, string>;
    return { reference, contact: contact.id, lang: contact.language ?? 'nl', links };
  }

  beforeAll(async () => {
    s = await startRoutingSystem('hostile-links');
    // The key the local system signs with (the runtime put it in this process's environment).
    key = Buffer.from(required(process.env[secretEnv('actionLinkKey')], 'the action link key'), 'base64');
    a = await routedWithLinks('71234567', ['work'], 'Wij leiden mensen op in onze fietsenwerkplaats.');
    b = await routedWithLinks('72345678', ['environment'], 'Wij zamelen textiel in voor hergebruik.');
    expect(b.contact).not.toBe(a.contact);
  });

  afterAll(async () => {
    await s?.stop();
  });

  /** Every item of a case, as the raw attribute values DynamoDB stores. */
  async function snapshot(reference: string): Promise<string> {
    const { Items } = await s.db.send(
      new QueryCommand({
        TableName: s.system.tables.cases,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `CASE#${reference}` } },
        ConsistentRead: true,
      }),
    );
    expect(Items?.length ?? 0).toBeGreaterThan(0);
    return canonical(Items);
  }

  /** A link signed with the system's own key: only the claims tell what is wrong with it. */
  function signed(changes: Partial<ActionClaims>, action: Action = 'contact-made'): string {
    const claims: ActionClaims = {
      id: newLinkId(randomBytes),
      reference: a.reference,
      official: a.contact,
      action,
      lang: 'nl',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      ...changes,
    };
    return `${s.system.urls.intake}/actions/${signAction(claims, key)}`;
  }

  function flipLastChar(token: string): string {
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    return `${token.slice(0, -1)}${last}`;
  }

  interface Row {
    readonly name: string;
    readonly url: () => string;
    readonly action: Action;
    readonly problem: LinkProblem;
    readonly lang: () => Language;
    readonly reference: () => string;
  }

  const rows: Row[] = [
    {
      name: 'tampered signature (one character changed)',
      url: () => `${s.system.urls.intake}/actions/${flipLastChar(tokenOf(a.links['contact-made']))}`,
      action: 'contact-made',
      problem: 'invalid',
      lang: () => 'nl',
      reference: () => a.reference,
    },
    {
      name: 'claims edited to name another case, signature kept',
      url: () => {
        const [, signature] = tokenOf(a.links.resolve).split('.');
        const claims = { ...claimsOf(a.links.resolve), reference: b.reference };
        const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
        return `${s.system.urls.intake}/actions/${payload}.${signature}`;
      },
      action: 'resolve',
      problem: 'invalid',
      lang: () => 'nl',
      reference: () => b.reference,
    },
    {
      name: 'forged with another key',
      url: () =>
        `${s.system.urls.intake}/actions/${signAction(claimsOf(a.links['hand-over']), randomBytes(32))}`,
      action: 'hand-over',
      problem: 'invalid',
      lang: () => 'nl',
      reference: () => a.reference,
    },
    {
      name: 'wrong case: a genuine link naming an official who is not that case’s contact',
      url: () => signed({ reference: b.reference, official: a.contact }, 'resolve'),
      action: 'resolve',
      problem: 'notContact',
      lang: () => 'nl',
      reference: () => b.reference,
    },
    {
      name: 'wrong official: a genuine link for the case naming another official',
      url: () => signed({ official: b.contact, lang: 'en' }, 'pause'),
      action: 'pause',
      problem: 'notContact',
      lang: () => 'en',
      reference: () => a.reference,
    },
    {
      name: 'expired (genuine, a minute past its expiry)',
      url: () => signed({ expiresAt: new Date(Date.now() - 60_000).toISOString() }, 'contact-made'),
      action: 'contact-made',
      problem: 'expired',
      lang: () => 'nl',
      reference: () => a.reference,
    },
    {
      name: "a department's join link with its claims edited to another department, signature kept",
      url: () => {
        const [, signature] = tokenOf(signed({ official: 'werk' }, 'join')).split('.');
        const claims = { ...claimsOf(signed({ official: 'werk' }, 'join')), official: 'economie' };
        const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
        return `${s.system.urls.intake}/actions/${payload}.${signature}`;
      },
      action: 'join',
      problem: 'invalid',
      lang: () => 'nl',
      reference: () => a.reference,
    },
    {
      name: "a department's join link, expired",
      url: () => signed({ official: 'werk', expiresAt: new Date(Date.now() - 60_000).toISOString() }, 'join'),
      action: 'join',
      problem: 'expired',
      lang: () => 'nl',
      reference: () => a.reference,
    },
    {
      name: 'wrong case: a genuine join link for a department the case does not touch',
      url: () => signed({ official: 'jeugd' }, 'join'),
      action: 'join',
      problem: 'notTouched',
      lang: () => 'nl',
      reference: () => a.reference,
    },
    {
      name: 'garbage token',
      url: () => `${s.system.urls.intake}/actions/not-a-token.%3Cscript%3E`,
      action: 'contact-made',
      problem: 'invalid',
      lang: () => 'nl',
      reference: () => a.reference,
    },
  ];

  for (const row of rows)
    for (const method of ['GET', 'POST'] as const)
      it(`${method}, ${row.name}: ${problemStatus[row.problem]}, nothing changes, the page says why`, async () => {
        // Prepare
        const reference = row.reference();
        const before = await snapshot(reference);
        const mailsBefore = (await s.mailsOf(reference)).length;

        // Act
        const response = await fetch(row.url(), {
          method,
          ...(method === 'POST'
            ? {
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
                body: ACCEPTABLE[row.action],
              }
            : {}),
        });
        const page = await response.text();

        // Assess
        expect(response.status).toBe(problemStatus[row.problem]);
        const t = actionTexts[row.lang()];
        expect(page).toContain(
          `<h1 class="utrecht-heading-1">${escapeHtml(t.problemTitle[row.problem])}</h1>`,
        );
        expect(page).toContain(escapeHtml(t.problemText[row.problem]));
        expect(await snapshot(reference)).toBe(before);
        expect((await s.mailsOf(reference)).length).toBe(mailsBefore);
      });

  it('GET of every link in the e-mail (a mail scanner prefetching) shows a confirmation page (resume: why not) and changes nothing', async () => {
    const before = await snapshot(a.reference);
    for (const [action, url] of Object.entries(a.links)) {
      const response = await fetch(url);
      const page = await response.text();
      if (action === 'resume') {
        // Nothing is paused, so the resume link says so (and would do nothing even when posted).
        expect(response.status, action).toBe(problemStatus.notPaused);
        expect(page).toContain(escapeHtml(actionTexts[a.lang].problemText.notPaused));
      } else {
        expect(response.status, action).toBe(200);
        expect(page).toContain('method="post"');
        expect(page).toContain(escapeHtml(actionTexts[a.lang].nothingYet));
      }
    }
    expect(await snapshot(a.reference)).toBe(before);
  });

  it('a link replayed after use: 409, nothing changes the second time (GET or POST)', async () => {
    // Prepare: use the contact-made link once (the one state change this test allows)
    const url = a.links['contact-made'];
    const first = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(first.status).toBe(200);
    const after = await snapshot(a.reference);

    for (const method of ['POST', 'GET'] as const) {
      // Act: the same link again
      const replay = await fetch(url, {
        method,
        ...(method === 'POST'
          ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' }
          : {}),
      });
      const page = await replay.text();

      // Assess
      expect(replay.status).toBe(problemStatus.used);
      expect(page).toContain(escapeHtml(actionTexts[a.lang].problemTitle.used));
      expect(page).toContain(escapeHtml(actionTexts[a.lang].problemText.used));
      expect(await snapshot(a.reference)).toBe(after);
    }
    expect(s.errors).toEqual([]);
  });

  it("a department's join link replayed after use: 409, nothing changes; a second link of the department: 409", async () => {
    // Prepare: case B's department joins once (and its contact is e-mailed once, by the router)
    const url = signed({ reference: b.reference, official: 'duurzaamheid' }, 'join');
    const first = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(first.status).toBe(200);
    await eventually(async () =>
      (await s.cases.get(b.reference))?.notifications['joined:duurzaamheid'] === undefined ? undefined : true,
    );
    const after = await snapshot(b.reference);
    const mailsAfter = (await s.mailsOf(b.reference)).length;

    for (const [link, problem] of [
      [url, 'used'],
      [signed({ reference: b.reference, official: 'duurzaamheid' }, 'join'), 'alreadyInvolved'],
    ] as const)
      for (const method of ['POST', 'GET'] as const) {
        // Act
        const response = await fetch(link, {
          method,
          ...(method === 'POST'
            ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' }
            : {}),
        });
        const page = await response.text();

        // Assess
        expect(response.status, `${problem} ${method}`).toBe(problemStatus[problem]);
        expect(page).toContain(escapeHtml(actionTexts.nl.problemText[problem]));
        expect(await snapshot(b.reference)).toBe(after);
        expect((await s.mailsOf(b.reference)).length).toBe(mailsAfter);
      }
    expect(s.errors).toEqual([]);
  });
  /**
   * The enterprise's satisfaction link (the e-mail after its case was resolved), used in hostile ways: each
   * request changes NOTHING of the case's items and sends no e-mail, and the page says why.
   */
  describe('hostile satisfaction links change nothing and say why', () => {
    /** Case R, resolved (result kept 5 years), with the link of its satisfaction e-mail. */
    let r: { reference: string; link: string };
    /** Case D, resolved with a one-year result: destroyed by the retention run below, not anonymised first. */
    let d: { reference: string; link: string };

    async function resolvedWithLink(kvkNumber: string, result: string) {
      const routed = await routedWithLinks(
        kvkNumber,
        ['work'],
        'Wij zoeken een plek voor een leerwerkbedrijf.',
      );
      const done = await fetch(routed.links.resolve, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ result, outcome: 'Afgehandeld.' }).toString(),
      });
      expect(done.status).toBe(200);
      const c = required(await s.cases.get(routed.reference), 'the case');
      const mail = await eventually(async () =>
        (await s.mailsOf(routed.reference)).find(
          (m) => m.destination.to.includes(c.request.contact.email) && m.subject.startsWith('Hoe was'),
        ),
      );
      return {
        reference: routed.reference,
        link: anyLinkAfter(mail.body.text ?? '', /^(Geef uw oordeel|Rate working with us)/),
      };
    }

    beforeAll(async () => {
      r = await resolvedWithLink('73456789', 'granted');
      d = await resolvedWithLink('74567890', 'rejected');
    });

    const satisfactionToken = (url: string) => required(url.split('/satisfaction/')[1], 'a token');
    const satisfactionClaims = (url: string): SatisfactionClaims =>
      JSON.parse(
        Buffer.from(required(satisfactionToken(url).split('.')[0], 'claims'), 'base64url').toString('utf8'),
      );
    const at = (token: string) => `${s.system.urls.intake}/satisfaction/${token}`;
    const future = () => new Date(Date.now() + 86_400_000).toISOString();

    interface SatisfactionRow {
      readonly name: string;
      readonly url: () => string;
      readonly problem: keyof typeof satisfactionStatus;
      readonly reference: () => string;
    }

    const satisfactionRows: SatisfactionRow[] = [
      {
        name: 'tampered signature (one character changed)',
        url: () => at(flipLastChar(satisfactionToken(r.link))),
        problem: 'invalid',
        reference: () => r.reference,
      },
      {
        name: 'claims edited to name another case, signature kept',
        url: () => {
          const [, signature] = satisfactionToken(r.link).split('.');
          const claims = { ...satisfactionClaims(r.link), case: d.reference };
          return at(`${Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url')}.${signature}`);
        },
        problem: 'invalid',
        reference: () => d.reference,
      },
      {
        name: 'forged with another key',
        url: () => at(signSatisfaction(satisfactionClaims(r.link), randomBytes(32))),
        problem: 'invalid',
        reference: () => r.reference,
      },
      {
        name: 'expired (genuine, a minute past its expiry)',
        url: () =>
          at(
            signSatisfaction(
              { ...satisfactionClaims(r.link), expiresAt: new Date(Date.now() - 60_000).toISOString() },
              key,
            ),
          ),
        problem: 'expired',
        reference: () => r.reference,
      },
      {
        name: "an official's genuine action link for the case, used here",
        url: () => at(tokenOf(signed({ reference: r.reference }, 'resolve'))),
        problem: 'invalid',
        reference: () => r.reference,
      },
      {
        name: 'a genuine "Mijn zaken" link, used here',
        url: () =>
          at(signMyCases({ page: 'my-cases', official: a.contact, lang: 'nl', expiresAt: future() }, key)),
        problem: 'invalid',
        reference: () => r.reference,
      },
      {
        name: 'the genuine token of another case, one that is still open',
        url: () =>
          at(
            signSatisfaction(
              { survey: 'satisfaction', case: a.reference, lang: 'nl', expiresAt: future() },
              key,
            ),
          ),
        problem: 'notResolved',
        reference: () => a.reference,
      },
      {
        name: 'garbage token',
        url: () => at('not-a-token.%3Cscript%3E'),
        problem: 'invalid',
        reference: () => r.reference,
      },
    ];

    /** Sends the link as a GET, or as a POST with an answer the form would take. */
    const send = (url: string, method: 'GET' | 'POST') =>
      fetch(url, {
        method,
        ...(method === 'POST'
          ? {
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: 'score=5&comment=Prima',
            }
          : {}),
      });

    /** Sends the link and checks the status and the page, and that nothing of the case changed. */
    async function refused(
      url: string,
      method: 'GET' | 'POST',
      problem: SatisfactionRow['problem'],
      reference: string,
    ) {
      const before = await snapshot(reference);
      const mailsBefore = (await s.mailsOf(reference)).length;

      const response = await send(url, method);
      const page = await response.text();

      expect(response.status, `${problem} ${method}`).toBe(satisfactionStatus[problem]);
      expect(page).toContain(
        `<h1 class="utrecht-heading-1">${escapeHtml(satisfactionTexts.nl.problemTitle[problem])}</h1>`,
      );
      expect(page).toContain(escapeHtml(satisfactionTexts.nl.problemText[problem]));
      expect(await snapshot(reference)).toBe(before);
      expect((await s.mailsOf(reference)).length).toBe(mailsBefore);
    }

    for (const row of satisfactionRows)
      for (const method of ['GET', 'POST'] as const)
        it(`${method}, ${row.name}: ${satisfactionStatus[row.problem]}, nothing changes, the page says why`, async () => {
          await refused(row.url(), method, row.problem, row.reference());
        });

    it('a satisfaction link used as an action link or a "Mijn zaken" link: 403, nothing changes', async () => {
      const before = await snapshot(r.reference);
      const token = satisfactionToken(r.link);

      const asAction = await send(`${s.system.urls.intake}/actions/${token}`, 'POST');
      const asMyCases = await fetch(`${s.system.urls.intake}/my-cases/${token}`);

      expect(asAction.status).toBe(problemStatus.invalid);
      expect(asMyCases.status).toBe(403);
      expect(await snapshot(r.reference)).toBe(before);
    });

    it('the answer replayed after it was recorded: 409 "already answered", nothing changes (POST or GET)', async () => {
      // Prepare: the one answer this test allows
      const first = await send(r.link, 'POST');
      expect(first.status).toBe(200);

      // Act and assess: the same link again, and a second copy of it
      const copy = at(
        signSatisfaction({ survey: 'satisfaction', case: r.reference, lang: 'nl', expiresAt: future() }, key),
      );
      for (const url of [r.link, copy])
        for (const method of ['POST', 'GET'] as const)
          await refused(url, method, 'alreadyRated', r.reference);
      const rated = required(await s.cases.get(r.reference), 'the case').history.filter(
        (h) => h.type === 'rated',
      );
      expect(rated).toHaveLength(1);
    });

    it('a case whose personal data retention removed (410) or that it destroyed (410): nothing changes', async () => {
      // Prepare: the retention job 400 days on: R (granted, 5 years) is anonymised, D (rejected, 1 year) destroyed
      const run = (await s.system.invoke('retention', {
        scheduledTime: new Date(Date.now() + 400 * 86_400_000).toISOString(),
      })) as { anonymised: { reference: string }[]; destroyed: { reference: string }[] };
      expect(run.anonymised.map((x) => x.reference)).toEqual([r.reference]);
      expect(run.destroyed.map((x) => x.reference)).toEqual([d.reference]);

      for (const method of ['GET', 'POST'] as const) {
        await refused(r.link, method, 'anonymised', r.reference);
        await refused(d.link, method, 'destroyed', d.reference);
      }
      expect(s.errors).toEqual([]);
    });
  });
});
