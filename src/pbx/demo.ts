/**
 * The demo tenant of `npm start` / `centrex-pbx --demo`: a small company with an admin, colleagues, contacts,
 * function keys, forwarding profiles, a queue, a conference room and two fax extensions, plus a few "outside world" numbers (a second
 * tenant whose users stand for external phones) so that calls to external numbers can be tried without a trunk.
 * @packageDocumentation
 */
import type { ForwardingSettings } from '../core/forwarding/index.js';
import { hashPassword, randomToken, type Role, type Language, type Store, type Tenant } from './store/index.js';

/** Options of {@link seedDemoTenant}. */
export interface DemoSeedOptions {
  /** The password of every demo user; default a random one (returned and logged). */
  readonly password?: string;
  /** Where to write how to log in. */
  readonly log?: (line: string) => void;
}

/** One demo account. */
export interface DemoLogin {
  readonly name: string;
  readonly email: string;
  readonly extension: string;
  readonly role: Role;
  /** The tenant's SIP domain (`localhost` for the company, `outside.localhost` for the outside world). */
  readonly sipDomain: string;
  /** The number that reaches this user from outside, if any. */
  readonly directNumber: string | null;
}

/** One demo fax extension and how to link it (manual B.3 "Fax hinzufügen"). */
export interface DemoFaxLogin {
  /** The fax extension's name. */
  readonly name: string;
  readonly login: string;
  /** The PIN; only when the demo tenant was created just now (afterwards it may have been changed). */
  readonly pin: string | undefined;
  readonly extension: string;
  /** The e-mail address of the user it is assigned to. */
  readonly assignedTo: string;
}

/** What {@link seedDemoTenant} did. */
export interface DemoSeedResult {
  /** False when the database was not empty (then nothing was written). */
  readonly created: boolean;
  /** The demo company's tenant id, when it exists. */
  readonly tenantId: string | undefined;
  /** The password of every demo user; only when they were created just now. */
  readonly password: string | undefined;
  /** The conference room PIN; only when it was created just now. */
  readonly roomPin: string | undefined;
  /** The demo accounts (company users first, then the outside-world numbers). */
  readonly logins: readonly DemoLogin[];
  /** The demo fax extensions (Anna's and Ben's). */
  readonly faxLogins: readonly DemoFaxLogin[];
}

/** The SIP domain of the demo company. */
export const DEMO_SIP_DOMAIN = 'localhost';
/** The SIP domain of the demo's outside-world numbers. */
export const OUTSIDE_SIP_DOMAIN = 'outside.localhost';

const ROOM_PIN = '4711';

// Fixed PINs, printed in the banner: the demo is for trying things out, and these never guard anything real.
const DEMO_FAX = [
  { user: 'anna', name: 'Fax Anna', login: 'fax-anna', pin: '2468', extension: '20' },
  { user: 'ben', name: 'Fax Ben', login: 'fax-ben', pin: '1357', extension: '21' },
] as const;

interface DemoUser {
  readonly key: string;
  readonly name: string;
  readonly email: string;
  readonly extension: string;
  readonly role: Role;
  readonly language: Language;
}

const COMPANY_USERS: readonly DemoUser[] = [
  { key: 'anna', name: 'Anna Admin', email: 'anna@demo.test', extension: '10', role: 'admin', language: 'de' },
  { key: 'ben', name: 'Ben Berger', email: 'ben@demo.test', extension: '11', role: 'user', language: 'de' },
  { key: 'clara', name: 'Clara Schmidt', email: 'clara@demo.test', extension: '12', role: 'user', language: 'de' },
  { key: 'david', name: 'David Müller', email: 'david@demo.test', extension: '13', role: 'user', language: 'en' },
];

const OUTSIDE_USERS: readonly DemoUser[] = [
  { key: 'out100', name: 'Außenwelt 100', email: 'extern100@outside.test', extension: '100', role: 'user', language: 'de' },
  { key: 'out101', name: 'Außenwelt 101', email: 'extern101@outside.test', extension: '101', role: 'user', language: 'de' },
  { key: 'out102', name: 'Außenwelt 102', email: 'extern102@outside.test', extension: '102', role: 'user', language: 'en' },
];

// Clara's profiles: the manual's "Urlaub" example with a selective rule, and a home-office profile.
const CLARA_FORWARDING: ForwardingSettings = {
  activeProfile: 0,
  profiles: [
    { number: 0, title: 'Standard', forwarding: { noAnswer: { after: 20, to: { type: 'voicemail' } } }, selective: [] },
    {
      number: 1,
      title: 'Urlaub',
      color: '#2e7d32',
      forwarding: { always: { type: 'number', number: '11' } },
      selective: [
        { id: 'anna-reaches-me', match: { type: 'extension', extension: '10' }, forwarding: {} },
        { id: 'anonymous-to-voicemail', match: { type: 'anonymous' }, forwarding: { always: { type: 'voicemail' } } },
      ],
    },
    {
      number: 2,
      title: 'Homeoffice',
      color: '#1565c0',
      forwarding: { notRegistered: { type: 'number', number: '+49 30 5550100' }, busy: { type: 'voicemail' } },
      selective: [],
    },
  ],
};

/**
 * Creates the demo tenant if the database has no tenant yet; otherwise changes nothing and lists the existing demo
 * accounts. Everything is written in one transaction.
 */
export async function seedDemoTenant(store: Store, options: DemoSeedOptions = {}): Promise<DemoSeedResult> {
  const log = options.log ?? (() => undefined);
  if (store.listTenants().length > 0) {
    const tenant = store.findTenantBySipDomain(DEMO_SIP_DOMAIN);
    const outside = store.findTenantBySipDomain(OUTSIDE_SIP_DOMAIN);
    const logins = [tenant, outside].flatMap((t) => (t ? store.listUsers(t.id).map((user) => loginOf(t, user)) : []));
    return { created: false, tenantId: tenant?.id, password: undefined, roomPin: undefined, logins, faxLogins: faxLoginsOf(store, tenant) };
  }
  const password = options.password ?? randomToken(9);
  const everyone = [...COMPANY_USERS, ...OUTSIDE_USERS];
  // Each user gets their own salt; hashing in parallel uses the thread pool.
  const hashes = await Promise.all(everyone.map(() => hashPassword(password)));
  const hashOf = new Map(everyone.map((user, index) => [user.key, hashes[index] ?? '']));
  const pinHash = await hashPassword(ROOM_PIN);
  const voicemailPinHash = await hashPassword('1234');
  const faxPinHashes = await Promise.all(DEMO_FAX.map((fax) => hashPassword(fax.pin)));

  const result = store.transaction(() => {
    const company = store.createTenant({
      name: 'Demo GmbH',
      country: 'DE',
      mainNumber: '+49 89 1234567',
      extensionDigits: [2, 4],
      sipDomain: DEMO_SIP_DOMAIN,
      allowedOrigins: ['http://localhost:8080', 'http://127.0.0.1:8080'],
      maxConcurrentCalls: 4,
    });
    const outside = store.createTenant({
      name: 'Außenwelt (Testnummern)',
      country: 'DE',
      mainNumber: '+49 30 5550',
      extensionDigits: [3, 3],
      sipDomain: OUTSIDE_SIP_DOMAIN,
      allowedOrigins: ['http://localhost:8080', 'http://127.0.0.1:8080'],
    });
    const ids = new Map<string, string>();
    for (const user of COMPANY_USERS) ids.set(user.key, createDemoUser(store, company, user, hashOf.get(user.key)).id);
    for (const user of OUTSIDE_USERS) ids.set(user.key, createDemoUser(store, outside, user, hashOf.get(user.key)).id);
    const id = (key: string): string => ids.get(key) ?? '';
    const anna = { tenantId: company.id, userId: id('anna') };
    const ben = { tenantId: company.id, userId: id('ben') };

    // Devices: Ben's desk phone, David's mobile as an external number for "Anrufen mit".
    store.addDevice(id('ben'), { kind: 'desk', name: 'Tischtelefon' });
    store.addDevice(id('david'), { kind: 'external', name: 'Handy', number: '+49 152 28817386' });

    // Address books (numbers from the ranges the Bundesnetzagentur keeps free for examples).
    store.createContact(anna, 'global', {
      name: 'Muster AG',
      company: 'Muster AG',
      email: 'zentrale@muster.example',
      numbers: [{ label: 'Zentrale', number: '+49 89 99998 000' }],
    });
    store.createContact(anna, 'global', {
      name: 'Petra Kunde',
      company: 'Muster AG',
      numbers: [{ label: 'Büro', number: '+49 89 99998 101' }, { label: 'mobil', number: '+49 152 28817999' }],
    });
    store.createContact(anna, 'global', {
      name: 'IT-Dienstleister Nord',
      company: 'Nord IT GmbH',
      numbers: [{ label: 'Hotline', number: '040 66969 123' }],
    });
    store.createContact(anna, 'private', { name: 'Dr. Weber (Steuerberater)', numbers: [{ label: 'Kanzlei', number: '030 23125 456' }] });
    store.createContact(ben, 'private', { name: 'Werkstatt Huber', numbers: [{ label: '', number: '0221 4710 789' }] });

    // Function keys: BLF keys for the colleagues, plus a speed dial and a star code.
    for (const user of COMPANY_USERS) {
      const keys = COMPANY_USERS.filter((other) => other.key !== user.key).map((other, index) => ({
        position: index + 1,
        name: other.name,
        type: 'blf' as const,
        target: other.extension,
      }));
      store.replaceFavorites(id(user.key), [
        ...keys,
        { position: keys.length + 1, name: 'Muster AG', type: 'speed-dial', target: '+49 89 99998 000' },
        { position: keys.length + 2, name: 'Urlaub an', type: 'star-code', target: '*101' },
      ]);
    }

    store.setForwarding(id('clara'), CLARA_FORWARDING);
    store.updateUserSettings(id('clara'), { callWaiting: true, voicemail: { sendByEmail: true, pinHash: voicemailPinHash } });
    store.updateUserSettings(id('ben'), { parallelCall: { enabled: false, target: '13' } });

    const support = store.createQueue(company.id, { name: 'Support', extension: '50' });
    store.setQueueLogin(company.id, support.id, id('ben'), true);
    store.setQueueLogin(company.id, support.id, id('clara'), false);
    const room = store.createRoom(company.id, { name: 'Konferenzraum', extension: '70', pinHash });
    store.subscribeRoom(company.id, room.id, id('anna'));

    // Fax extensions are assigned but not linked: linking with login and PIN is what the demo shows.
    DEMO_FAX.forEach((fax, index) => {
      const made = store.createFaxExtension(company.id, {
        name: fax.name,
        login: fax.login,
        extension: fax.extension,
        pinHash: faxPinHashes[index] ?? '',
      });
      store.assignFaxExtension(company.id, made.id, [id(fax.user)]);
    });

    const start = store.now() - 3600 * 1000;
    store.addHistoryEntry(id('anna'), {
      direction: 'in',
      peer: { number: '+498999998101', name: 'Petra Kunde' },
      result: 'answered',
      startedAt: start,
      durationS: 185,
    });
    store.addHistoryEntry(id('anna'), {
      direction: 'out',
      peer: { extension: '11', name: 'Ben Berger' },
      result: 'missed',
      startedAt: start + 600_000,
      durationS: 0,
    });
    store.addHistoryEntry(id('ben'), {
      direction: 'in',
      peer: { number: '+498999998000', name: 'Muster AG' },
      forwardedBy: { extension: '12', name: 'Clara Schmidt' },
      result: 'answered',
      startedAt: start + 900_000,
      durationS: 42,
    });
    const logins = [
      ...store.listUsers(company.id).map((user) => loginOf(company, user)),
      ...store.listUsers(outside.id).map((user) => loginOf(outside, user)),
    ];
    return { tenantId: company.id, logins };
  });

  log(`Demo tenant "Demo GmbH" created. Every demo user's password: ${password}`);
  for (const login of result.logins) {
    log(`  ${login.role === 'admin' ? 'admin' : 'user '}  ${login.email.padEnd(24)} ext ${login.extension.padEnd(4)} sip:${login.extension}@${login.sipDomain}`);
  }
  log(`  Conference room "Konferenzraum" (ext 70), PIN ${ROOM_PIN}; outside-world numbers +49 30 5550100…102.`);
  const tenant = store.findTenantBySipDomain(DEMO_SIP_DOMAIN);
  const faxLogins = faxLoginsOf(store, tenant).map((login) => ({
    ...login,
    pin: DEMO_FAX.find((fax) => fax.login === login.login)?.pin,
  }));
  for (const fax of faxLogins) log(`  Fax login ${fax.login}, PIN ${fax.pin ?? '?'} (fax ext ${fax.extension}, for ${fax.assignedTo})`);
  return { created: true, tenantId: result.tenantId, password, roomPin: ROOM_PIN, logins: result.logins, faxLogins };
}

/** The demo company's fax extensions with the users they are assigned to (PINs unknown: they are stored hashed). */
function faxLoginsOf(store: Store, tenant: Tenant | undefined): DemoFaxLogin[] {
  if (!tenant) return [];
  return store.listFaxExtensions(tenant.id).map((fax) => ({
    name: fax.name,
    login: fax.login,
    pin: undefined,
    extension: fax.extension,
    assignedTo: fax.assignedUserIds.map((userId) => store.getUser(userId)?.email ?? '?').join(', '),
  }));
}

function createDemoUser(store: Store, tenant: Tenant, user: DemoUser, passwordHash: string | undefined): { id: string } {
  const { user: created } = store.createUser(tenant.id, {
    name: user.name,
    email: user.email,
    extension: user.extension,
    role: user.role,
    language: user.language,
    ...(passwordHash === undefined ? {} : { passwordHash }),
  });
  return created;
}

function loginOf(tenant: Tenant, user: { name: string; email: string; extension: string; role: Role }): DemoLogin {
  return {
    name: user.name,
    email: user.email,
    extension: user.extension,
    role: user.role,
    sipDomain: tenant.sipDomain,
    directNumber: tenant.dialPlan.mainNumber === null ? null : tenant.dialPlan.mainNumber + user.extension,
  };
}
