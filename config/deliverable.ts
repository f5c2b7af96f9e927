import type { Municipality } from './schema.js';

/**
 * Addresses that can never send or receive real e-mail: domains reserved for documentation and testing
 * (RFC 2606 and RFC 6761). SES can never verify an identity on them, and mail to them bounces. The demo
 * config (config/municipalities/example.json) uses them on purpose, so that nothing it runs locally reaches
 * a real person; a deploy must not.
 */
const RESERVED_TOP_LEVEL = ['example', 'test', 'invalid', 'localhost'] as const;
const RESERVED_SECOND_LEVEL = ['example.com', 'example.net', 'example.org'] as const;

/** The reserved name a domain falls under (`.example`, `example.com`), or undefined for a usable one. */
export function reservedDomainOf(domain: string): string | undefined {
  const name = domain.toLowerCase().replace(/\.$/, '');
  const labels = name.split('.');
  const top = labels.at(-1) ?? '';
  if ((RESERVED_TOP_LEVEL as readonly string[]).includes(top)) return `.${top}`;
  const second = labels.slice(-2).join('.');
  if ((RESERVED_SECOND_LEVEL as readonly string[]).includes(second)) return second;
  return undefined;
}

/** An address of the config on a reserved domain: where it is set, the address, and the reserved name. */
export interface UndeliverableAddress {
  /** The setting's path in the config file, e.g. `sender` or `officials.2.email`. */
  readonly path: string;
  readonly address: string;
  readonly reserved: string;
}

/**
 * Every address of a municipality that mail cannot use: the sender (SES would refuse every e-mail) and each
 * recipient (coordinator, college, department mailboxes, wethouder offices, officials: their mail would bounce and
 * count against the account's reputation). Empty for a config that can be deployed.
 */
export function undeliverableAddresses(m: Municipality): UndeliverableAddress[] {
  const addresses: [string, string][] = [
    ['sender', m.sender],
    ['coordinator.email', m.coordinator.email],
    ...(m.college === undefined ? [] : [['college.email', m.college.email] as [string, string]]),
    ...m.departments.flatMap((d, i): [string, string][] => [
      [`departments.${i}.mailbox`, d.mailbox],
      [`departments.${i}.wethouder.office`, d.wethouder.office],
    ]),
    ...m.officials.map((o, i): [string, string] => [`officials.${i}.email`, o.email]),
  ];
  return addresses.flatMap(([path, address]) => {
    const reserved = reservedDomainOf(address.slice(address.lastIndexOf('@') + 1));
    return reserved === undefined ? [] : [{ path, address, reserved }];
  });
}

/**
 * Why a deploy of this config would not deliver mail, as lines that name each setting to change; empty when
 * it would. `source` names the file.
 */
export function undeliverableReport(m: Municipality, source: string): string[] {
  const found = undeliverableAddresses(m);
  if (found.length === 0) return [];
  const sender = found.find((a) => a.path === 'sender');
  return [
    `${source} cannot be deployed: ${found.length} ${found.length === 1 ? 'address is' : 'addresses are'} on a domain reserved for examples and tests, which SES can never verify or deliver to:`,
    ...found.map((a) => `  ${a.path}: ${a.address} (${a.reserved})`),
    sender === undefined
      ? 'Change each address above to a real one.'
      : `Set "sender" to an address on the municipality's own domain (e.g. aanspreekpunt@<gemeente>.nl), and each other address above to a real one.`,
    'Then deploy with -c municipality=<that file> (README, "Deploy for your municipality"); check it first with npm run config -- check <that file>.',
  ];
}
