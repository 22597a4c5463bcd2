// The signed-in view: the session (its token only masked), when it expires and the time it has
// left, and Log out. The view follows the client's session: when it expires, or another tab signs
// out or in, the page follows by itself.
import { describeError } from './messages.js';
import { $, currentView, setAlert, setBusy, setStatus, show, state } from './page.js';

const expiryFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
});

const EXPIRED = 'Your session has expired. Please sign in again.';

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
// What the view shows: the session and what the login said about it.
let shown = { session: null, email: '', verificationState: null };

export function stopSessionClock() {
  clearInterval(sessionTimer);
}

// Back to the sign-in form, if the view still shows a session.
function endSession(status) {
  if (currentView() !== 'signed-in') return;
  stopSessionClock();
  signedOut(status);
}

/**
 * Shows `session`. `email` and `verificationState` come with a login on this page; a session kept
 * from an earlier visit or another tab has neither.
 */
export function showSession(session, { email = '', verificationState = null } = {}) {
  shown = { session, email, verificationState };
  $('signed-in-email').textContent = email;
  $('signed-in-as').hidden = !email;
  $('signed-in-kept').hidden = Boolean(email);
  $('session-user').textContent = session.userId;
  $('session-token').textContent = maskToken(session.accessToken);
  $('session-verification').textContent = verificationState ?? '—';
  const expiry = $('session-expiry');
  expiry.dateTime = new Date(session.expiresAt).toISOString();
  expiry.textContent = expiryFormat.format(new Date(session.expiresAt));
  const tick = () => {
    const left = session.expiresAt - Date.now();
    // The client's 'expired' event ends the view; this is for a timer that runs late (a laptop
    // waking up), when the countdown reaches zero first.
    if (left <= 0) {
      endSession(EXPIRED);
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

/**
 * The client's session changes. This page's own login and logout run while the page is busy and
 * show their outcome themselves; a change while it is idle came from elsewhere.
 */
export function followSession(session, event) {
  if (event === 'expired') {
    endSession(EXPIRED);
  } else if (state.busy) {
    // answered by the login or logout in flight
  } else if (event === 'signed_out') {
    endSession('You were signed out in another tab.');
  } else if (event === 'signed_in' && session) {
    const sameUser = shown.session?.userId === session.userId && currentView() === 'signed-in';
    // A sign-in under way here gives way, dropping its password and code.
    if (currentView() !== 'signed-in') signedOut('');
    showSession(session, sameUser ? shown : {});
    setStatus('Signed in from another tab.');
  }
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
