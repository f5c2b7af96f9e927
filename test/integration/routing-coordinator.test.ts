import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { amsterdamDay } from '../../functions/domain/case.js';
import { dayFrom, type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import { informingAtOnce } from '../support/municipalities.js';

// The router reads the officials once a minute: the absences are written right after the start, before
// any case is routed. One local system per process, so this scenario has a file of its own.
describe('routing on the embedded emulators (departments informed immediately): nobody available', () => {
  let local: RoutingSystem;
  const today = amsterdamDay(new Date());
  // Everyone in zorg or jeugd (Lotte Visser, Sanne de Vries, Jeroen Mulder), deputies of each other
  const covering = municipality.officials.filter((o) =>
    o.departments.some((d) => d === 'zorg' || d === 'jeugd'),
  );

  beforeAll(async () => {
    local = await startRoutingSystem('routing-coordinator', { municipality: informingAtOnce(municipality) });
    for (const official of covering)
      await local.officials.setAbsences(official.id, [{ from: dayFrom(today, -3), to: dayFrom(today, 3) }]);
  });

  afterAll(async () => {
    await local?.stop();
  });

  it('makes the coordinator inbox the contact when everyone covering the case and their deputies are away', async () => {
    // Prepare
    const body = requestBody({
      kvkNumber: '33000001',
      goals: ['care', 'youth'],
      requestType: 'question',
      description: 'Wij repareren fietsen met mensen die lang thuis zaten.',
    });

    // Act
    const { reference } = await local.submit(body);
    const { c, contact, mails } = await local.routed(reference);

    // Assess: the coordinator, who is in no department: zorg and jeugd are both informed
    expect(covering.map((o) => o.id).sort()).toEqual(['j-mulder', 'l-visser', 's-devries']);
    expect(contact).toMatchObject({ kind: 'coordinator', email: 'coordinator@voorbeeld.example' });
    expect(c.history.filter((h) => h.type === 'assigned')).toEqual([
      expect.objectContaining({ contact: 'coordinator', choice: 'coordinator' }),
    ]);
    expect(mails.flatMap((m) => m.destination.to).sort()).toEqual([
      'coordinator@voorbeeld.example',
      'jeugd@voorbeeld.example',
      'kvk33000001@onderneming.example',
      'zorg@voorbeeld.example',
    ]);
    const forEnterprise = mails.find((m) => m.destination.to.includes('kvk33000001@onderneming.example'));
    expect(forEnterprise?.body.text).toContain(
      `${municipality.coordinator.name} (coordinator@voorbeeld.example)`,
    );
    expect(local.errors).toEqual([]);
  });
});
