/**
 * Globally routable UA URIs (GRUU, RFC 5627): addresses that reach one device of a user rather than all of them.
 * A browser cannot accept connections, and when its WebSocket drops it comes back on a new one; its dialogs keep
 * working only if their remote target names the device, not the connection. The registrar hands out GRUUs to devices
 * that register with `+sip.instance` and `Supported: gruu`; the router resolves them to the device's current binding.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { URI } from 'sip.js/lib/grammar/index.js';
import { parseSipUri } from '../message/address.js';

/** The parts a GRUU stands for: the address-of-record and the device's instance id (with its angle brackets). */
export interface GruuTarget {
  /** The normalised AOR, `sip:11@example.com`. */
  readonly aor: string;
  /** The `+sip.instance` value as the binding keeps it, `<urn:uuid:…>`. */
  readonly instanceId: string;
}

const TEMP_PREFIX = 'tgruu.';

/**
 * Makes and reads GRUUs.
 *
 * - The public GRUU is the AOR with `gr=` and the instance id (RFC 5627 §3.1): stable, so it survives a restart of
 *   the PBX and a reconnect of the device.
 * - A temporary GRUU hides the AOR (for anonymous calls): its user part is the AOR and instance id sealed with
 *   AES-256-GCM under a key of this process. Every registration gets a new one and all of them stay valid as long as
 *   the device is registered (§5.2), without the registrar having to remember them. They end with the process, as
 *   the (in-memory) registrations do.
 */
export class GruuIssuer {
  readonly #key = randomBytes(32);

  /** The public GRUU of a device, `sip:11@example.com;gr=urn:uuid:…`. */
  publicGruu(target: GruuTarget): string {
    return `${target.aor};gr=${bareInstance(target.instanceId)}`;
  }

  /** A fresh temporary GRUU of a device, `sip:tgruu.…@example.com;gr`. */
  temporaryGruu(target: GruuTarget): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const sealed = Buffer.concat([cipher.update(`${target.aor}\n${target.instanceId}`, 'utf8'), cipher.final()]);
    const token = Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
    const host = /@(.*)$/.exec(target.aor)?.[1] ?? '';
    return `sip:${TEMP_PREFIX}${token}@${host};gr`;
  }

  /**
   * What a GRUU stands for; undefined when the URI carries no `gr` parameter, or a temporary GRUU was not issued by
   * this process (or was tampered with).
   */
  resolve(uri: string | URI): GruuTarget | undefined {
    const parsed = typeof uri === 'string' ? parseSipUri(uri.trim().replace(/^<(.*)>.*$/, '$1')) : uri;
    if (!parsed || !parsed.hasParam('gr')) return undefined;
    const user = parsed.user ?? '';
    const host = parsed.host.toLowerCase();
    const port = parsed.port === undefined ? '' : `:${parsed.port}`;
    const value = parsed.getParam('gr');
    if (value) {
      if (user === '') return undefined;
      return { aor: `sip:${user}@${host}${port}`, instanceId: `<${value}>` };
    }
    if (!user.startsWith(TEMP_PREFIX)) return undefined;
    const opened = this.#open(user.slice(TEMP_PREFIX.length));
    if (!opened) return undefined;
    const [aor, instanceId] = opened.split('\n');
    // The domain is part of what was sealed: a token moved to another domain does not resolve.
    if (aor === undefined || instanceId === undefined || !aor.endsWith(`@${host}${port}`)) return undefined;
    return { aor, instanceId };
  }

  #open(token: string): string | undefined {
    const data = Buffer.from(token, 'base64url');
    if (data.length < 12 + 16 + 1) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}

/** `<urn:uuid:…>` → `urn:uuid:…` (the `gr` parameter carries the instance id without brackets). */
function bareInstance(instanceId: string): string {
  return instanceId.replace(/^<(.*)>$/, '$1');
}

/** Whether two `+sip.instance` values name the same device (brackets optional; URNs compare without case). */
export function sameInstance(a: string, b: string): boolean {
  return bareInstance(a).toLowerCase() === bareInstance(b).toLowerCase();
}
