// The sign-in flow: the password form (and the test users that fill it in), then the code step
// when the server asks for one, ending in the signed-in or the onboarding view.
//
// Secrets: the password lives in `flow.password` only between the password step and the code step
// (the code goes back through login with it), the code only in its field, the token only inside the
// client (and, with "Keep me signed in" ticked, in the storage the client keeps its session in).
// None of them is ever written to the DOM unmasked, to the console or to a message, nor by this page
// to storage.
import { ErrorCode } from './baanx-auth.mjs';
import { describeError, formatClock } from './messages.js';
import { showOnboarding } from './onboarding.js';
import {
  $, clearInvalid, currentView, markInvalid, onBusyChanged, setAlert, setBusy, setStatus, show, state,
} from './page.js';
import { refreshPhone } from './phone.js';
import { chosenStorage, useStorage } from './settings.js';
import { showSession, stopSessionClock } from './signed-in.js';

const DEMO_PASSWORD = 'Demo-Passw0rd!'; // the mock's published fixture password, shown on the page

// The sign-in in progress.
const flow = { email: '', password: '', userId: '', resendAt: 0 };

export function backToLogin({ status } = {}) {
  flow.password = '';
  flow.userId = '';
  flow.resendAt = 0;
  $('password').value = '';
  $('otp-code').value = '';
  stopSessionClock();
  setStatus(status ?? '');
  show('login-form', $('email').value ? 'password' : 'email');
}

/** The user id of the person on the code step, '' when nobody is. */
export function codeStepUser() {
  return currentView() === 'otp-form' ? flow.userId : '';
}

/** Puts a code into the code field, as if typed. */
export function useCode(code) {
  $('otp-code').value = code;
  markInvalid('otp-code', false);
  $('otp-code').focus();
}

async function onLoginResult(result) {
  if (result.status === 'authenticated') {
    flow.password = '';
    $('password').value = '';
    $('otp-code').value = '';
    showSession(state.client.session ?? result, { email: flow.email, verificationState: result.verificationState });
  } else if (result.status === 'otp_required') {
    await enterCodeStep(result);
  } else {
    flow.password = '';
    $('password').value = '';
    showOnboarding(result.phase);
  }
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (state.busy || !state.client) return;
  setAlert('');
  clearInvalid();
  flow.email = $('email').value.trim();
  flow.password = $('password').value;
  setBusy(true, 'Signing in…');
  let result = null;
  let failed = null;
  try {
    // The box as it is when the person presses "Log in" decides where this sign-in is kept.
    await useStorage(chosenStorage());
    result = await state.client.login({ email: flow.email, password: flow.password });
  } catch (error) {
    failed = error;
    flow.password = '';
  } finally {
    setBusy(false);
  }
  if (result) {
    await onLoginResult(result);
    return;
  }
  setAlert(describeError(failed));
  if (failed.code === ErrorCode.INVALID_ARGUMENT && failed.field === 'email') {
    markInvalid('email', true);
    $('email').focus();
  } else if (failed.code === ErrorCode.INVALID_ARGUMENT || failed.code === ErrorCode.INVALID_CREDENTIALS) {
    markInvalid('password', true);
    $('password').focus();
    $('password').select();
  }
});

for (const button of document.querySelectorAll('.user-pick')) {
  button.addEventListener('click', () => {
    if (state.busy) return;
    setAlert('');
    clearInvalid();
    if (currentView() !== 'login-form') backToLogin();
    $('email').value = button.dataset.email;
    $('password').value = DEMO_PASSWORD;
    setStatus(`Filled in ${button.dataset.email}. Press "Log in".`);
    $('login-button').focus();
  });
}

async function enterCodeStep(result) {
  flow.userId = result.userId;
  flow.resendAt = 0;
  $('otp-phone').textContent = result.phoneNumber ?? 'your phone';
  $('otp-email').textContent = flow.email;
  $('otp-code').value = '';
  $('password').value = '';
  show('otp-form', 'otp-code');
  await sendCode({ automatic: true });
}

// The first send happens on its own; when the client or the server says a code went out moments
// ago (a second sign-in inside the cooldown), that code is still the one to use: not an error.
// Sending does not block "Verify": the SMS may arrive before the server's answer does.
async function sendCode({ automatic }) {
  setAlert('');
  const userId = flow.userId;
  state.sending = automatic ? 'Sending you a code…' : 'Sending a new code…';
  setStatus(state.sending, { busy: true });
  updateResend();
  let message = '';
  let failed = null;
  try {
    const sent = await state.client.sendOtp({ userId });
    if (flow.userId === userId) flow.resendAt = sent.resendAvailableAt;
    refreshPhone(); // show the new SMS at once rather than at the next poll
    message = automatic ? '' : 'A new code is on its way. The previous one no longer works.';
  } catch (error) {
    if (error.retryAfterMs != null && flow.userId === userId) flow.resendAt = Date.now() + error.retryAfterMs;
    const cooling = error.code === ErrorCode.RESEND_COOLDOWN || error.code === ErrorCode.RATE_LIMITED;
    if (automatic && cooling) {
      message = 'A code was sent a moment ago: use that one.';
    } else {
      failed = error;
    }
  } finally {
    state.sending = '';
  }
  if (flow.userId !== userId || currentView() !== 'otp-form') return; // the person moved on
  if (!state.busy) setStatus(message);
  updateResend();
  if (failed) {
    setAlert(failed.code === ErrorCode.RATE_LIMITED || failed.code === ErrorCode.RESEND_COOLDOWN
      ? describeError(failed)
      : `We could not send the code. ${describeError(failed)}`);
  }
  if (currentView() === 'otp-form' && document.activeElement === document.body) $('otp-code').focus();
}

let resendTimer = 0;
let resendWasWaiting = false;
function updateResend() {
  clearTimeout(resendTimer);
  const left = flow.resendAt - Date.now();
  const waiting = left > 0;
  $('resend-button').disabled = state.busy || Boolean(state.sending) || waiting || !flow.userId;
  $('resend-hint').textContent = state.sending || !flow.userId ? ''
    : waiting ? `Didn't get it? You can ask for a new code in ${formatClock(left)}.`
      : "Didn't get it? You can ask for a new code now.";
  $('resend-hint').classList.toggle('is-waiting', waiting);
  // Announce the end of the wait once, not every tick of the countdown.
  if (resendWasWaiting && !waiting && !state.busy && !state.sending && currentView() === 'otp-form') {
    setStatus('You can ask for a new code now.');
  }
  resendWasWaiting = waiting;
  if (waiting) resendTimer = setTimeout(updateResend, (left % 1000) || 1000);
}
onBusyChanged(updateResend);

// Keep only the digits: a pasted "123 456", "123-456" or "Your code is 123456" all work.
function digitsOf(text) {
  const run = /\d(?:[\s-]*\d){5}/.exec(text);
  return (run ? run[0] : text).replace(/\D/g, '').slice(0, 6);
}

$('otp-code').addEventListener('paste', (event) => {
  const text = event.clipboardData?.getData('text');
  if (text == null) return;
  event.preventDefault();
  const input = event.currentTarget;
  const before = input.value.slice(0, input.selectionStart ?? input.value.length);
  const after = input.value.slice(input.selectionEnd ?? input.value.length);
  input.value = digitsOf(before + digitsOf(text) + after);
  input.dispatchEvent(new Event('input', { bubbles: true }));
});

$('otp-code').addEventListener('input', (event) => {
  const input = event.currentTarget;
  const digits = input.value.replace(/\D/g, '').slice(0, 6);
  if (digits !== input.value) input.value = digits;
  markInvalid('otp-code', false);
});

$('otp-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (state.busy) return;
  setAlert('');
  setStatus('');
  setBusy(true, 'Checking the code…');
  let result = null;
  let failed = null;
  try {
    result = await state.client.login({
      email: flow.email, password: flow.password, otpCode: $('otp-code').value,
    });
  } catch (error) {
    failed = error;
  } finally {
    setBusy(false);
  }
  if (result) {
    await onLoginResult(result);
    return;
  }
  if (failed.code === ErrorCode.ACCOUNT_LOCKED || failed.code === ErrorCode.ACCOUNT_DISABLED ||
      failed.code === ErrorCode.INVALID_CREDENTIALS) {
    // Nothing more to do with a code: start again from the password.
    backToLogin();
    setAlert(describeError(failed));
    return;
  }
  setAlert(describeError(failed));
  if (failed.code === ErrorCode.OTP_EXPIRED) {
    $('otp-code').value = '';
    if (!$('resend-button').disabled) $('resend-button').focus();
    else $('otp-code').focus();
    return;
  }
  markInvalid('otp-code', failed.code === ErrorCode.INVALID_OTP || failed.code === ErrorCode.INVALID_ARGUMENT);
  $('otp-code').focus();
  $('otp-code').select();
});

$('resend-button').addEventListener('click', () => {
  if (state.busy || state.sending) return;
  markInvalid('otp-code', false);
  $('otp-code').value = '';
  sendCode({ automatic: false }).then(() => $('otp-code').focus());
});

// "Back to sign-in", from the code step and from the onboarding view.
for (const id of ['back-button', 'onboarding-back']) {
  $(id).addEventListener('click', () => {
    setAlert('');
    backToLogin();
  });
}
