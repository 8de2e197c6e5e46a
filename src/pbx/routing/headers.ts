/**
 * Headers the router writes (Reason, intercom, History-Info, Diversion, P-Asserted-Identity) and the ones it
 * removes from what callers send, because a caller must not be able to set them towards the callee.
 * @packageDocumentation
 */
import type { SipHeaders } from '../sip/index.js';

/** A header as `[name, value]`. */
export type HeaderLine = readonly [name: string, value: string];

/** The auto-answer Alert-Info URN (draft-ietf-salud-alert-info-urns, as desk phones and the SDK read it). */
export const AUTO_ANSWER_ALERT = '<urn:alert:service:auto-answer>';

/** The Call-Info `purpose` that marks the PBX's click-to-dial INVITE to the user's own device. */
export const CLICK_TO_DIAL_PURPOSE = 'x-centrex-click-to-dial';

/**
 * Text for a quoted string in a header: control characters, quotes and backslashes removed, at most 200 characters.
 * Texts may include what a caller dialled, so they are cleaned rather than trusted.
 */
export function headerText(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f"\\]+/g, ' ').replace(/\s+/g, ' ').trim();
  return [...clean].slice(0, 200).join('');
}

/** A Reason header (RFC 3326): `SIP;cause=480;text="Voicemail not available"`. */
export function reasonHeader(cause: number, text: string): HeaderLine {
  return ['Reason', `SIP;cause=${cause};text="${headerText(text)}"`];
}

/** The cause and text of a Reason header, when one is present and has the SIP protocol. */
export function readReason(value: string | undefined): { cause: number; text: string } | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*SIP\s*;\s*cause\s*=\s*(\d{3})(?:\s*;\s*text\s*=\s*"((?:[^"\\]|\\.)*)")?/i.exec(value);
  if (!match) return undefined;
  return { cause: Number(match[1]), text: match[2] ?? '' };
}

/** The headers that make a device answer by itself (intercom, `*80`): Alert-Info and Call-Info answer-after=0. */
export function intercomHeaders(domain: string): HeaderLine[] {
  return [
    ['Alert-Info', AUTO_ANSWER_ALERT],
    ['Call-Info', `<sip:${domain}>;answer-after=0`],
  ];
}

/**
 * Why a call was diverted, in the words of RFC 5806 (Diversion) with the matching RFC 4458 cause. `deflection`: the
 * callee's device sent the ringing call on itself (manual: "Weiterleitung vor Anrufannahme").
 */
export type DiversionReason = 'unconditional' | 'user-busy' | 'no-answer' | 'unavailable' | 'do-not-disturb' | 'deflection';

const CAUSE: Readonly<Record<DiversionReason, number>> = {
  unconditional: 302,
  'user-busy': 486,
  'no-answer': 408,
  unavailable: 480,
  'do-not-disturb': 480,
  deflection: 487,
};

/** One forwarding step: who forwarded (their address) and why. */
export interface Diversion {
  /** The forwarding user's address, `sip:11@example.com`. */
  readonly from: string;
  /** Display name of the forwarding user. */
  readonly name: string | undefined;
  readonly reason: DiversionReason;
}

function nameAddr(uri: string, name: string | undefined, params = ''): string {
  const display = name === undefined || headerText(name) === '' ? '' : `"${headerText(name)}" `;
  return `${display}<${uri}${params}>`;
}

/**
 * Diversion headers (RFC 5806), newest first as the RFC orders them, with a counter per step. Desk phones show
 * "forwarded by" from these.
 */
export function diversionHeaders(steps: readonly Diversion[]): HeaderLine[] {
  return steps
    .map((step, index): HeaderLine => ['Diversion', `${nameAddr(step.from, step.name)};reason=${step.reason};counter=${index + 1}`])
    .reverse();
}

/**
 * A History-Info header (RFC 7044) for a call that was retargeted along `steps` to `target`: one entry per
 * forwarding user with the cause of the retargeting escaped into its URI, and the final target with `mp` naming the
 * entry it was mapped from.
 */
export function historyInfoHeader(steps: readonly Diversion[], target: string): HeaderLine | undefined {
  if (steps.length === 0) return undefined;
  const entries: string[] = [];
  let index = '1';
  steps.forEach((step, i) => {
    const reason = encodeURIComponent(`SIP;cause=${CAUSE[step.reason]};text="${step.reason}"`);
    const mapped = i === 0 ? '' : `;mp=${index.split('.').slice(0, -1).join('.')}`;
    entries.push(`<${step.from}?Reason=${reason}>;index=${index}${mapped}`);
    index = `${index}.1`;
  });
  entries.push(`<${target}>;index=${index};mp=${index.split('.').slice(0, -1).join('.')}`);
  return ['History-Info', entries.join(', ')];
}

/**
 * Removes what a caller must not set towards the callee: its own asserted identity and diversion history (the PBX
 * writes those), credentials meant for the PBX, and auto-answer requests (only the PBX decides about intercom).
 */
export function stripCallerControlled(headers: SipHeaders): void {
  for (const name of ['P-Asserted-Identity', 'P-Preferred-Identity', 'Diversion', 'History-Info', 'Proxy-Authorization', 'Answer-Mode', 'Priv-Answer-Mode']) {
    // `has` looks without copying the header list; most requests carry none of these.
    if (headers.has(name)) headers.delete(name);
  }
  keepOnly(headers, 'Alert-Info', (value) => !/auto-?answer|intercom/i.test(value));
  keepOnly(headers, 'Call-Info', (value) => !/answer-after|x-centrex-/i.test(value));
}

function keepOnly(headers: SipHeaders, name: string, keep: (value: string) => boolean): void {
  const values = headers.getAll(name);
  const kept = values.filter(keep);
  if (kept.length === values.length) return;
  if (kept.length === 0) headers.delete(name);
  else headers.set(name, kept);
}

/** Whether a request asks to stay anonymous (RFC 3323 `Privacy: id` / `user`, or an anonymous From). */
export function wantsAnonymity(privacy: readonly string[], fromUri: string | undefined, fromName: string | undefined): boolean {
  const tokens = privacy.flatMap((value) => value.split(/[;,]/)).map((token) => token.trim().toLowerCase());
  if (tokens.includes('id') || tokens.includes('user') || tokens.includes('header')) return true;
  if (fromUri !== undefined && /^sips?:anonymous@/i.test(fromUri)) return true;
  return fromName !== undefined && /^anonymous$/i.test(fromName.trim());
}
