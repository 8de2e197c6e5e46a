/**
 * The development mail outbox: mails the PBX would send are written as `.eml` files into a folder.
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A plain-text mail. */
export interface OutboxMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

function headerValue(value: string): string {
  // Header injection: a line break in a name or address must not start a new header.
  return value.replace(/[\r\n]+/g, ' ');
}

function encodedSubject(subject: string): string {
  return /^[\x20-\x7e]*$/.test(subject) ? subject : `=?UTF-8?B?${Buffer.from(subject, 'utf8').toString('base64')}?=`;
}

/**
 * Writes a mail as an RFC 5322 file (`<time>-<random>.eml`, readable only by the owner) and returns its path.
 */
export async function writeOutboxMail(dir: string, mail: OutboxMail, now: number): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `${stamp}-${randomBytes(4).toString('hex')}.eml`);
  const content = [
    `Date: ${new Date(now).toUTCString()}`,
    'From: Centrex PBX <no-reply@centrex.invalid>',
    `To: ${headerValue(mail.to)}`,
    `Subject: ${encodedSubject(headerValue(mail.subject))}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    mail.text,
    '',
  ].join('\r\n');
  await writeFile(file, content, { mode: 0o600, flag: 'wx' });
  return file;
}
