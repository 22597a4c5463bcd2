// The demo page: the documented flow of js-api.md, driven through the baanx-auth module.
import { BaanxError, ErrorCode, createClient } from './baanx-auth.mjs';

const $ = (id) => document.getElementById(id);
const views = ['login-form', 'otp-form', 'onboarding', 'signed-in'];

const state = { client: null, email: '', password: '', userId: '', resendAt: 0, busy: false };

function show(view) {
  for (const id of views) $(id).hidden = id !== view;
}

function setAlert(text) {
  $('alert').textContent = text ?? '';
  $('alert').hidden = !text;
}

function setBusy(busy, text) {
  state.busy = busy;
  for (const id of ['login-button', 'verify-button', 'logout-button']) $(id).disabled = busy;
  updateResend();
  $('progress').textContent = text ?? '';
  $('progress').hidden = !busy;
}

function seconds(ms) {
  return Math.max(1, Math.ceil(ms / 1000));
}

// Words a person understands, keyed on the error code; never the password or the code.
function describe(error) {
  if (!(error instanceof BaanxError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case ErrorCode.INVALID_ARGUMENT:
      return error.field === 'email' ? 'Enter a valid email address.'
        : error.field === 'password' ? 'Enter your password.'
          : error.field === 'otpCode' ? 'Enter the 6-digit code from the SMS.' : error.message;
    case ErrorCode.INVALID_CREDENTIALS: return 'That email and password do not match.';
    case ErrorCode.INVALID_OTP: return 'That code is not right. Check the SMS and try again.';
    case ErrorCode.OTP_EXPIRED: return 'That code has expired. Send a new one.';
    case ErrorCode.ACCOUNT_LOCKED: return 'This account is locked after too many attempts. Try again later.';
    case ErrorCode.ACCOUNT_DISABLED: return 'This account has been disabled. Contact support.';
    case ErrorCode.RATE_LIMITED:
    case ErrorCode.RESEND_COOLDOWN:
      return error.retryAfterMs != null
        ? `Too many attempts. Wait ${seconds(error.retryAfterMs)} s and try again.`
        : 'Too many attempts. Wait a little and try again.';
    case ErrorCode.NETWORK: return 'Cannot reach the server. Check your connection.';
    case ErrorCode.TIMEOUT: return 'The server took too long to answer. Try again.';
    case ErrorCode.SERVER_ERROR: return 'The server had a problem. Try again in a moment.';
    default: return error.message;
  }
}

let resendTimer = 0;
function updateResend() {
  const left = state.resendAt - Date.now();
  const button = $('resend-button');
  button.disabled = state.busy || left > 0;
  $('resend-hint').textContent = left > 0 ? `You can resend the code in ${seconds(left)} s.` : '';
  clearTimeout(resendTimer);
  if (left > 0) resendTimer = setTimeout(updateResend, Math.min(1000, left));
}

async function sendCode() {
  setBusy(true, 'Sending the code…');
  try {
    const sent = await state.client.sendOtp({ userId: state.userId });
    state.resendAt = sent.resendAvailableAt;
  } catch (error) {
    if (error.retryAfterMs != null) state.resendAt = Date.now() + error.retryAfterMs;
    setAlert(describe(error));
  } finally {
    setBusy(false);
  }
}

let sessionTimer = 0;
function showSession(session) {
  const token = session.accessToken;
  $('session-user').textContent = session.userId;
  $('session-token').textContent = token.length > 12 ? `${token.slice(0, 6)}…${token.slice(-4)}` : '••••';
  $('session-expiry').textContent = new Date(session.expiresAt).toLocaleString();
  const tick = () => {
    const left = Math.max(0, session.expiresAt - Date.now());
    const h = Math.floor(left / 3600000);
    const m = Math.floor((left % 3600000) / 60000);
    const s = Math.floor((left % 60000) / 1000);
    $('session-countdown').textContent = `${h}h ${String(m).padStart(2, '0')}m ${String(s).padStart(2, '0')}s left`;
  };
  tick();
  clearInterval(sessionTimer);
  sessionTimer = setInterval(tick, 1000);
  show('signed-in');
  $('logout-button').focus();
}

async function onLogin(result) {
  if (result.status === 'authenticated') {
    state.password = '';
    $('password').value = '';
    showSession(state.client.session ?? result);
  } else if (result.status === 'otp_required') {
    state.userId = result.userId;
    $('otp-phone').textContent = result.phoneNumber ?? 'your phone';
    $('otp-code').value = '';
    show('otp-form');
    $('otp-code').focus();
    await sendCode();
  } else {
    state.password = '';
    $('onboarding-phase').textContent = result.phase;
    show('onboarding');
  }
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (state.busy) return;
  setAlert('');
  state.email = $('email').value;
  state.password = $('password').value;
  setBusy(true, 'Signing in…');
  try {
    await onLogin(await state.client.login({ email: state.email, password: state.password }));
  } catch (error) {
    setAlert(describe(error));
  } finally {
    setBusy(false);
  }
});

$('otp-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (state.busy) return;
  setAlert('');
  setBusy(true, 'Checking the code…');
  try {
    await onLogin(await state.client.login({
      email: state.email, password: state.password, otpCode: $('otp-code').value,
    }));
  } catch (error) {
    setAlert(describe(error));
    $('otp-code').select();
  } finally {
    setBusy(false);
  }
});

$('resend-button').addEventListener('click', () => {
  setAlert('');
  sendCode();
});

function backToLogin() {
  setAlert('');
  state.password = '';
  $('password').value = '';
  show('login-form');
  $('email').focus();
}
$('back-button').addEventListener('click', backToLogin);
$('onboarding-back').addEventListener('click', backToLogin);

$('logout-button').addEventListener('click', async () => {
  setBusy(true, 'Signing out…');
  try {
    await state.client.logout();
  } catch (error) {
    // The session is gone locally either way; the server's answer is only informative.
    setAlert(describe(error));
  } finally {
    clearInterval(sessionTimer);
    setBusy(false);
    backToLogin();
  }
});

// The mock phone: polls the mock server's outbox.
async function refreshPhone() {
  try {
    const response = await fetch('/__mock/sms', { cache: 'no-store' });
    if (!response.ok) return;
    const { messages } = await response.json();
    const list = $('phone-messages');
    list.replaceChildren(...messages.map((message) => {
      const item = document.createElement('li');
      const code = document.createElement('div');
      code.className = 'code';
      code.textContent = message.code;
      const meta = document.createElement('div');
      meta.className = 'hint';
      meta.textContent = `to ${message.phoneNumber} at ${new Date(message.sentAt).toLocaleTimeString()}`;
      item.append(code, meta);
      return item;
    }));
    $('phone-empty').hidden = messages.length > 0;
  } catch {
    // The phone panel is a convenience of the mock; the flow works without it.
  }
}

async function start() {
  show('login-form');
  setBusy(true, 'Loading…');
  try {
    state.client = await createClient({
      baseUrl: new URL('/', location.href).href,
      clientKey: 'demo-client-key',
    });
  } catch (error) {
    setAlert(describe(error));
  } finally {
    setBusy(false);
  }
  refreshPhone();
  setInterval(refreshPhone, 1500);
}

start();
