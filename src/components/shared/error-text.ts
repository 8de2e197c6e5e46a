import { msg } from '@lit/localize';
import { isCentrexError } from '../../core/errors.js';

/**
 * What went wrong, in words for the person at the screen and in the elements' current language. Known error codes
 * get a translated sentence; others keep the SDK's (English) message, which already says what to do.
 */
export function errorText(error: unknown): string {
  if (!isCentrexError(error)) return msg('Something went wrong. Please try again.', { id: 'error.unknown' });
  switch (error.code) {
    case 'api-invalid-credentials':
      return msg('E-mail address or password is wrong.', { id: 'error.invalid-credentials' });
    case 'api-rate-limited':
      return msg('Too many attempts. Please wait a few minutes and try again.', { id: 'error.rate-limited' });
    case 'api-unauthorized':
      return msg('Your session has ended. Please sign in again.', { id: 'error.unauthorized' });
    case 'server-unreachable':
      return msg('The telephone system cannot be reached. Check the network; the connection is retried.', { id: 'error.unreachable' });
    case 'timeout':
      return msg('The telephone system did not answer in time. Please try again.', { id: 'error.timeout' });
    case 'microphone-denied':
      return msg('The browser may not use the microphone. Allow it in the site settings and try again.', { id: 'error.microphone-denied' });
    case 'camera-denied':
      return msg('The browser may not use the camera. Allow it in the site settings and try again.', { id: 'error.camera-denied' });
    case 'not-registered':
      return msg('The web phone is not connected yet. Wait a moment or choose another device under "Call with".', { id: 'error.not-registered' });
    case 'api-validation-failed':
      return error.message;
    default:
      return error.message;
  }
}
