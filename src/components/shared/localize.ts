import { configureLocalization } from '@lit/localize';

/** The languages the elements speak. English is written in the code; German is loaded when first needed. */
export type ElementLanguage = 'en' | 'de';

// One configuration per copy of the SDK. The German texts are a separate chunk, so English-only pages never load them.
const { getLocale, setLocale } = configureLocalization({
  sourceLocale: 'en',
  targetLocales: ['de'],
  loadLocale: () => import('../locales/de.js'),
});

/** Reads a language tag (`de-AT`, `en`, `EN-gb`) as one of the element languages; anything else is English. */
export function elementLanguage(tag: string | null | undefined): ElementLanguage {
  return (tag ?? '').trim().toLowerCase().startsWith('de') ? 'de' : 'en';
}

/** The page's language from `<html lang>`. */
export function pageLanguage(): ElementLanguage {
  return elementLanguage(document.documentElement.lang);
}

/** The language the elements show now. */
export function currentLanguage(): ElementLanguage {
  return elementLanguage(getLocale());
}

/**
 * Switches every element on the page to a language (the user's setting, else the page's). Resolves once the texts
 * are loaded and the elements re-render.
 */
export async function setLanguage(language: ElementLanguage): Promise<void> {
  if (currentLanguage() === language) return;
  await setLocale(language);
}

/** The BCP 47 tag dates and numbers are formatted with. */
function locale(): string {
  return currentLanguage() === 'de' ? 'de-DE' : 'en-GB';
}

/** A call or talk time, `m:ss` below an hour and `h:mm:ss` above. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (value: number): string => String(value).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** A date and time as the current language writes it (`26.11.2026, 14:05` / `26 Nov 2026, 14:05`). */
export function formatDateTime(value: string | number | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** A time of day (`14:05`). */
export function formatTime(value: string | number | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale(), { timeStyle: 'short' }).format(date);
}

/** A count as the current language writes it (`1.234` / `1,234`). */
export function formatCount(value: number): string {
  return new Intl.NumberFormat(locale()).format(value);
}
