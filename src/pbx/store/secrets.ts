/**
 * Password hashing, random tokens and digest HA1s, all on node:crypto.
 * @packageDocumentation
 */
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** The scrypt cost parameters of new hashes (N = 2^15, r = 8, p = 1: about 50–100 ms and 32 MiB per hash). */
export const SCRYPT_PARAMS = { N: 32768, r: 8, p: 1 } as const;

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// Hashes above this cost are refused, so a tampered row cannot make one verification eat the machine.
const MAX_LOG2_N = 20;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function memoryFor(N: number, r: number, p: number): number {
  // node:crypto refuses parameters that need more than maxmem; give it what the parameters need plus headroom.
  return 128 * N * r * p + 16 * 1024 * 1024;
}

/**
 * Hashes a password (or PIN) with scrypt and a fresh random salt. The result names its parameters, so they can be
 * raised later without invalidating stored hashes: `scrypt$N$r$p$<salt base64>$<hash base64>`.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const { N, r, p } = SCRYPT_PARAMS;
  const key = await scryptAsync(password.normalize('NFC'), salt, KEY_LENGTH, { N, r, p, maxmem: memoryFor(N, r, p) });
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const valid =
    Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0 && N <= 2 ** MAX_LOG2_N &&
    Number.isInteger(r) && r >= 1 && r <= 32 && Number.isInteger(p) && p >= 1 && p <= 16;
  if (!valid) return undefined;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const key = Buffer.from(parts[5] ?? '', 'base64');
  if (salt.length < 8 || key.length < 16) return undefined;
  return { N, r, p, salt, key };
}

/**
 * Checks a password against a hash from {@link hashPassword}, comparing in constant time. A malformed hash verifies
 * nothing (and takes as long as a real check, so it cannot be told apart by timing).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const real = parseHash(typeof stored === 'string' ? stored : '');
  const parsed = real ?? parseHash(await dummyHash());
  if (!parsed) return false;
  const { N, r, p, salt, key } = parsed;
  const candidate = await scryptAsync(String(password).normalize('NFC'), salt, key.length, {
    N,
    r,
    p,
    maxmem: memoryFor(N, r, p),
  });
  const same = timingSafeEqual(candidate, key);
  return real !== undefined && same;
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random password with the current parameters. Checking a login for an unknown user against it costs
 * the same as checking a real one, so the answer time does not tell which e-mail addresses exist.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummy;
}

/** A random opaque token (256 bits, base64url) for sessions and set-password links. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 in lowercase hex; tokens are stored and looked up by this. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** MD5 in lowercase hex (only for SIP digest, RFC 2617/7616, never for passwords). */
export function md5Hex(value: string): string {
  return createHash('md5').update(value, 'utf8').digest('hex');
}

/** The digest HA1s of RFC 7616 (`H(username:realm:password)`) for MD5 and SHA-256. */
export function digestHa1(username: string, realm: string, password: string): { md5: string; sha256: string } {
  const a1 = `${username}:${realm}:${password}`;
  return { md5: md5Hex(a1), sha256: sha256Hex(a1) };
}
