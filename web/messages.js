// Errors in words a person understands, keyed on the error code, and the waits they mention.
// Never the password, the code or the token: none of them is ever put into a sentence here.
import { BaanxError, ErrorCode } from './baanx-auth.mjs';
import { state } from './page.js';

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** "45 seconds", "2 minutes": how long a person has to wait, rounded up. */
export function formatWait(ms) {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 120) return plural(s, 'second');
  const m = Math.ceil(s / 60);
  return m < 60 ? plural(m, 'minute') : plural(Math.ceil(m / 60), 'hour');
}

/** "0:42" style countdown. */
export function formatClock(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const SETTINGS_FIELDS = {
  baseUrl: 'Base URL: use an https:// address, or http:// only for this computer ' +
    '(127.0.0.1 or localhost), with no query or # part.',
  clientKey: 'Client key: enter the client key for this Baanx environment.',
  timeoutMs: 'Request timeout: enter a whole number of seconds, 1 or more.',
  resendCooldownMs: 'Wait between resends: enter a whole number of seconds, 0 or more.',
};

/** What to do about a settings field the client refused (by its config name), if it is one. */
export function settingsFieldMessage(field) {
  return SETTINGS_FIELDS[field];
}

export function describeError(error) {
  if (!(error instanceof BaanxError)) return 'Something went wrong on this page. Reload it and try again.';
  switch (error.code) {
    case ErrorCode.INVALID_ARGUMENT:
      if (error.field === 'email') return 'Enter your email address, like name@example.com.';
      if (error.field === 'password') return 'Enter your password.';
      if (error.field === 'otpCode') return 'Enter the 6-digit code from the SMS.';
      if (SETTINGS_FIELDS[error.field]) return SETTINGS_FIELDS[error.field];
      return 'Something in the form is not valid. Check it and try again.';
    case ErrorCode.INVALID_CREDENTIALS:
      return "That email and password don't match. Check them and try again.";
    case ErrorCode.INVALID_OTP:
      return "That code isn't right. Check the SMS and try again.";
    case ErrorCode.OTP_EXPIRED:
      return 'That code has expired. Ask for a new one with "Resend code".';
    case ErrorCode.ACCOUNT_LOCKED:
      return 'This account is locked for now after too many attempts. Wait a while, then sign in again.';
    case ErrorCode.ACCOUNT_DISABLED:
      return 'This account has been disabled. Please contact Baanx support.';
    case ErrorCode.RATE_LIMITED:
      return error.retryAfterMs != null
        ? `Too many attempts. Please wait ${formatWait(error.retryAfterMs)} before trying again.`
        : 'Too many attempts. Please wait a little before trying again.';
    case ErrorCode.RESEND_COOLDOWN:
      return `A code was sent a moment ago. You can ask for another in ${formatWait(error.retryAfterMs ?? 0)}.`;
    case ErrorCode.INVALID_CLIENT_KEY:
      return 'The server did not accept the client key. Check it in Settings.';
    case ErrorCode.MISSING_CLIENT_KEY:
      return 'The server did not receive a client key. Check Settings.';
    case ErrorCode.UNAUTHORIZED:
      return 'Your session is no longer valid. Please sign in again.';
    case ErrorCode.SERVER_ERROR:
      return `The server had a problem on its side (HTTP ${error.status}). Please try again in a moment.`;
    case ErrorCode.HTTP_ERROR:
      return `The server answered in an unexpected way (HTTP ${error.status}). Please try again.`;
    case ErrorCode.INVALID_RESPONSE:
      return "The server's answer could not be read. Please try again in a moment.";
    case ErrorCode.NETWORK:
      return "Can't reach the server. Check your connection (or the base URL in Settings) and try again.";
    case ErrorCode.MODULE_LOAD:
      return 'The sign-in module could not be loaded. Reload the page to try again.';
    case ErrorCode.TIMEOUT:
      return `The server did not answer within ${formatWait(state.settings.timeoutS * 1000)}. ` +
        'Please try again.';
    case ErrorCode.ABORTED:
      return 'The request was cancelled.';
    default:
      return 'Something went wrong. Please try again.';
  }
}
