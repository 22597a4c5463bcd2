// The signed-in view: the session (its token only masked), the time it has left, and Log out.
// When the session runs out or the person logs out, the page goes back to the sign-in form.
import { describeError } from './messages.js';
import { $, setAlert, setBusy, show, state } from './page.js';

const expiryFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
});

// Set by connectSignedIn: goes back to the sign-in form, showing `status`.
let signedOut = () => {};

export function connectSignedIn(handlers) {
  ({ signedOut } = handlers);
}

function maskToken(token) {
  if (typeof token !== 'string' || token.length < 16) return '••••••••';
  return `${token.slice(0, 6)}••••••${token.slice(-4)}`;
}

let sessionTimer = 0;

export function stopSessionClock() {
  clearInterval(sessionTimer);
}

export function showSession(session, result, email) {
  $('signed-in-email').textContent = email;
  $('session-user').textContent = session.userId;
  $('session-token').textContent = maskToken(session.accessToken);
  $('session-verification').textContent = result.verificationState ?? '—';
  const expiry = $('session-expiry');
  expiry.dateTime = new Date(session.expiresAt).toISOString();
  expiry.textContent = expiryFormat.format(new Date(session.expiresAt));
  const tick = () => {
    const left = session.expiresAt - Date.now();
    if (left <= 0) {
      clearInterval(sessionTimer);
      state.client.logout().catch(() => {}); // only clears the local session: the token is dead
      signedOut('Your session has expired. Please sign in again.');
      return;
    }
    const h = Math.floor(left / 3600000);
    const m = Math.floor((left % 3600000) / 60000);
    const s = Math.floor((left % 60000) / 1000);
    $('session-countdown').textContent = `${h} h ${String(m).padStart(2, '0')} min ${String(s).padStart(2, '0')} s`;
  };
  clearInterval(sessionTimer);
  tick();
  sessionTimer = setInterval(tick, 1000);
  show('signed-in', 'signed-in-title');
}

$('logout-button').addEventListener('click', async () => {
  if (state.busy) return;
  setAlert('');
  setBusy(true, 'Signing out…');
  let status = 'You have signed out.';
  try {
    await state.client.logout();
  } catch (error) {
    // The session is gone from this page either way; the server's answer is only informative.
    status = `You have signed out of this page, but Baanx could not confirm it. ${describeError(error)}`;
  } finally {
    setBusy(false);
  }
  signedOut(status);
});
