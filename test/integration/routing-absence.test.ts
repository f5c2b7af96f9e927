import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { amsterdamDay } from '../../functions/domain/case.js';
import { dayFrom, type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import { informingAtOnce } from '../support/municipalities.js';

// The router reads the officials once a minute: the absence is written right after the start, before
// any case is routed. One local system per process, so this scenario has a file of its own.
describe('routing on the embedded emulators (departments informed immediately): an official who is away', () => {
  let local: RoutingSystem;
  const today = amsterdamDay(new Date());

  beforeAll(async () => {
    local = await startRoutingSystem('routing-absence', { municipality: informingAtOnce(municipality) });
    await local.officials.setAbsences('a-jansen', [{ from: dayFrom(today, -1), to: dayFrom(today, 7) }]);
  });

  afterAll(async () => {
    await local?.stop();
  });

  it('gives the case of an absent official to their deputy, who is named to the enterprise and the departments', async () => {
    // Prepare: a request Anouk Jansen (werk and economie) covers best; her deputy is Mohamed Bakker (werk)
    const body = requestBody({
      kvkNumber: '32000001',
      goals: ['work', 'environment'],
      requestType: 'partnership',
      description: 'Wij repareren fietsen met mensen die lang thuis zaten.',
    });

    // Act
    const { reference } = await local.submit(body);
    const { c, contact, mails } = await local.routed(reference);

    // Assess: Mohamed Bakker stands in; economie is no department of his, so it is informed too
    expect(contact.id).toBe('m-bakker');
    expect(c.history.filter((h) => h.type === 'assigned')).toEqual([
      expect.objectContaining({ contact: 'm-bakker', choice: 'deputy', standsInFor: 'a-jansen' }),
    ]);
    expect(mails.flatMap((m) => m.destination.to).sort()).toEqual([
      'duurzaamheid@voorbeeld.example',
      'economie@voorbeeld.example',
      'kvk32000001@onderneming.example',
      'm.bakker@voorbeeld.example',
    ]);
    const forEnterprise = mails.find((m) => m.destination.to.includes('kvk32000001@onderneming.example'));
    expect(forEnterprise?.subject).toContain('Mohamed Bakker');
    expect(local.errors).toEqual([]);
  });
});
