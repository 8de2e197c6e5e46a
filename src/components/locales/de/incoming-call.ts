import type { LocaleTemplates } from './types.js';

/** German texts of the incoming-call element(s), by message id. */
export const incomingCall: LocaleTemplates = {};
