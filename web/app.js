// The demo page: the documented flow of js-api.md, driven through the baanx-auth module.
// Plain DOM code on purpose: four small views, one alert, one status line; no framework needed.
//
// Secrets: the password lives in `flow.password` only between the password step and the code step
// (the code goes back through login with it), the code only in its field, the token only inside the
// client. None of them is ever written to the DOM unmasked, to storage, to the console or to a
// message. The page stores nothing in localStorage or sessionStorage.
import { BaanxError, ErrorCode, createClient } from './baanx-auth.mjs';

const $ = (id) => document.getElementById(id);
const VIEWS = ['login-form', 'otp-form', 'onboarding', 'signed-in'];
const ACTION_BUTTONS = ['login-button', 'verify-button', 'back-button', 'logout-button',
  'onboarding-back', 'settings-apply', 'settings-defaults'];
const ONBOARDING_PHASES = [
  ['ACCOUNT', 'Account'],
  ['PHONE_NUMBER', 'Phone number'],
  ['PERSONAL_INFORMATION', 'Personal information'],
  ['PHYSICAL_ADDRESS', 'Home address'],
  ['MAILING_ADDRESS', 'Mailing address'],
];
const DEMO_PASSWORD = 'Demo-Passw0rd!'; // the mock's published fixture password, shown on the page

// Query parameters shorten the client's timings for tests and impatient people: ?timeout=5&cooldown=3.
function secondsParam(name, fallback, minimum) {
  const raw = new URLSearchParams(location.search).get(name);
  const value = raw === null || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(value) && value >= minimum ? value : fallback;
}

const MOCK_BASE_URL = new URL('/', location.href).href;
const DEFAULTS = Object.freeze({
  baseUrl: MOCK_BASE_URL,
  clientKey: 'demo-client-key',
  region: 'international',
  timeoutS: secondsParam('timeout', 15, 1),
  cooldownS: secondsParam('cooldown', 60, 0),
});

const state = {
  client: null,
  // What the client was made with, less the client key (which stays in its field and the client).
  settings: { baseUrl: DEFAULTS.baseUrl, region: DEFAULTS.region, timeoutS: DEFAULTS.timeoutS, cooldownS: DEFAULTS.cooldownS },
  busy: false, // a login, logout or settings change in flight: its buttons are disabled
  sending: '', // a code being sent (the progress text): only "Resend code" waits for it
};
// The sign-in in progress.
const flow = { email: '', password: '', userId: '', resendAt: 0 };

// ---------------------------------------------------------------------------------------------
// Small helpers

function currentView() {
  return VIEWS.find((id) => !$(id).hidden);
}

function show(view, focusId) {
  for (const id of VIEWS) $(id).hidden = id !== view;
  document.body.dataset.view = view;
  updatePhoneButtons();
  if (focusId) $(focusId).focus();
}

function setAlert(text) {
  $('alert').textContent = text ?? '';
}

function setStatus(text, { busy = false } = {}) {
  $('status-text').textContent = text ?? '';
  $('status').classList.toggle('is-busy', busy);
}

function setBusy(busy, text) {
  state.busy = busy;
  for (const id of ACTION_BUTTONS) $(id).disabled = busy;
  for (const button of document.querySelectorAll('.user-pick, .use-code')) button.disabled = busy;
  // On the view, not the card: the alert and status beside it must still be announced.
  const parts = [...VIEWS, 'settings-form'].map($);
  for (const part of parts) part.removeAttribute('aria-busy');
  if (busy) {
    const owner = parts.find((part) => part.contains(document.activeElement)) ?? $(currentView());
    owner.setAttribute('aria-busy', 'true');
  }
  setStatus(busy ? text : state.sending, { busy: busy || Boolean(state.sending) });
  updateResend();
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** "45 seconds", "2 minutes": how long a person has to wait, rounded up. */
function formatWait(ms) {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 120) return plural(s, 'second');
  const m = Math.ceil(s / 60);
  return m < 60 ? plural(m, 'minute') : plural(Math.ceil(m / 60), 'hour');
}

/** "0:42" style countdown. */
function formatClock(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function isMock(baseUrl) {
  try {
    return new URL(baseUrl).origin === location.origin;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Errors in words a person understands, keyed on the error code. Never the password, the code or
// the token: none of them is ever put into a sentence here.

const SETTINGS_FIELDS = {
  baseUrl: ['base-url', 'Base URL: use an https:// address, or http:// only for this computer ' +
    '(127.0.0.1 or localhost), with no query or # part.'],
  clientKey: ['client-key', 'Client key: enter the client key for this Baanx environment.'],
  timeoutMs: ['timeout-s', 'Request timeout: enter a whole number of seconds, 1 or more.'],
  resendCooldownMs: ['cooldown-s', 'Wait between resends: enter a whole number of seconds, 0 or more.'],
};

function describe(error) {
  if (!(error instanceof BaanxError)) return 'Something went wrong on this page. Reload it and try again.';
  switch (error.code) {
    case ErrorCode.INVALID_ARGUMENT:
      if (error.field === 'email') return 'Enter your email address, like name@example.com.';
      if (error.field === 'password') return 'Enter your password.';
      if (error.field === 'otpCode') return 'Enter the 6-digit code from the SMS.';
      if (SETTINGS_FIELDS[error.field]) return SETTINGS_FIELDS[error.field][1];
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
    case ErrorCode.TIMEOUT:
      return `The server did not answer within ${formatWait(state.settings.timeoutS * 1000)}. ` +
        'Please try again.';
    case ErrorCode.ABORTED:
      return 'The request was cancelled.';
    default:
      return 'Something went wrong. Please try again.';
  }
}

function markInvalid(inputId, invalid) {
  const input = $(inputId);
  if (invalid) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function clearInvalid() {
  for (const input of document.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  for (const message of document.querySelectorAll('.field-error')) {
    message.textContent = '';
    message.hidden = true;
  }
}

// ---------------------------------------------------------------------------------------------
// Sign-in

function backToLogin({ status } = {}) {
  flow.password = '';
  flow.userId = '';
  flow.resendAt = 0;
  $('password').value = '';
  $('otp-code').value = '';
  clearInterval(sessionTimer);
  setStatus(status ?? '');
  show('login-form', $('email').value ? 'password' : 'email');
}

async function onLoginResult(result) {
  if (result.status === 'authenticated') {
    flow.password = '';
    $('password').value = '';
    $('otp-code').value = '';
    showSession(state.client.session ?? result, result);
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
  setAlert(describe(failed));
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

// ---------------------------------------------------------------------------------------------
// The code step

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
      ? describe(failed)
      : `We could not send the code. ${describe(failed)}`);
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
    setAlert(describe(failed));
    return;
  }
  setAlert(describe(failed));
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

$('back-button').addEventListener('click', () => {
  setAlert('');
  backToLogin();
});

// ---------------------------------------------------------------------------------------------
// Onboarding

function showOnboarding(phase) {
  const index = ONBOARDING_PHASES.findIndex(([id]) => id === phase);
  $('onboarding-phase').textContent = phase;
  $('onboarding-phase-name').textContent = index >= 0 ? ONBOARDING_PHASES[index][1] : phase;
  const steps = $('onboarding-steps');
  steps.replaceChildren();
  steps.hidden = index < 0;
  ONBOARDING_PHASES.forEach(([, name], i) => {
    const item = document.createElement('li');
    const where = i < index ? 'done' : i === index ? 'current' : 'todo';
    item.className = where;
    item.append(name);
    const note = document.createElement('span');
    note.className = where === 'current' ? 'phase-note' : 'visually-hidden';
    note.textContent = where === 'done' ? ' (done)' : where === 'current' ? ' (stopped here)' : ' (to do)';
    item.append(note);
    if (where === 'current') item.setAttribute('aria-current', 'step');
    steps.append(item);
  });
  show('onboarding', 'onboarding-title');
}

$('onboarding-back').addEventListener('click', () => {
  setAlert('');
  backToLogin();
});

// ---------------------------------------------------------------------------------------------
// Signed in

const expiryFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
});

function maskToken(token) {
  if (typeof token !== 'string' || token.length < 16) return '••••••••';
  return `${token.slice(0, 6)}••••••${token.slice(-4)}`;
}

let sessionTimer = 0;
function showSession(session, result) {
  $('signed-in-email').textContent = flow.email;
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
      backToLogin({ status: 'Your session has expired. Please sign in again.' });
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
    status = `You have signed out of this page, but Baanx could not confirm it. ${describe(error)}`;
  } finally {
    setBusy(false);
  }
  backToLogin({ status });
});

// ---------------------------------------------------------------------------------------------
// Settings: recreate the client. The client key is never stored anywhere but in its field and
// inside the client.

function fillSettingsForm(values) {
  $('base-url').value = values.baseUrl;
  $('client-key').value = values.clientKey;
  $('region').value = values.region;
  $('timeout-s').value = String(values.timeoutS);
  $('cooldown-s').value = String(values.cooldownS);
}

function describeTarget(settings) {
  $('target-name').textContent = isMock(settings.baseUrl)
    ? 'the bundled mock server'
    : new URL(settings.baseUrl).host;
  $('target-region').textContent = settings.region === 'us' ? '(US)' : '(International)';
  const mock = isMock(settings.baseUrl);
  document.body.classList.toggle('is-remote', !mock);
  $('users-note').hidden = mock;
  $('otp-demo-tip').hidden = !mock;
  $('phone-note').textContent = mock
    ? 'Not a real phone: it shows the codes the bundled mock Baanx server has sent, as they arrive.'
    : 'The mock phone only works with the bundled mock server. With this base URL, Baanx sends the ' +
      'code by real SMS to the phone on the account.';
}

async function applySettings(values) {
  const config = {
    baseUrl: values.baseUrl.trim(),
    clientKey: values.clientKey,
    region: values.region,
    timeoutMs: values.timeoutS === '' ? NaN : Math.round(Number(values.timeoutS) * 1000),
    resendCooldownMs: values.cooldownS === '' ? NaN : Math.round(Number(values.cooldownS) * 1000),
  };
  const client = await createClient(config); // rejects with invalid_argument + field
  const previous = state.client;
  state.client = client;
  state.settings = {
    baseUrl: config.baseUrl, region: config.region,
    timeoutS: config.timeoutMs / 1000, cooldownS: config.resendCooldownMs / 1000,
  };
  if (previous?.session) previous.logout().catch(() => {});
  describeTarget(state.settings);
  refreshPhone();
}

$('settings-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (state.busy) return;
  setAlert('');
  clearInvalid();
  setBusy(true, 'Applying the settings…');
  let failed = null;
  try {
    await applySettings({
      baseUrl: $('base-url').value, clientKey: $('client-key').value, region: $('region').value,
      timeoutS: $('timeout-s').value, cooldownS: $('cooldown-s').value,
    });
  } catch (error) {
    failed = error;
  } finally {
    setBusy(false);
  }
  if (failed) {
    setAlert(`Settings not applied. ${describe(failed)}`);
    const [inputId, text] = SETTINGS_FIELDS[failed.field] ?? [];
    if (inputId) {
      markInvalid(inputId, true);
      $(`${inputId}-error`).textContent = text;
      $(`${inputId}-error`).hidden = false;
      $(inputId).focus();
    }
    return;
  }
  setAlert('');
  backToLogin({
    status: `Settings applied: talking to ${$('target-name').textContent} ${$('target-region').textContent}.`,
  });
});

$('settings-defaults').addEventListener('click', () => {
  fillSettingsForm(DEFAULTS);
  $('settings-form').requestSubmit();
});

// ---------------------------------------------------------------------------------------------
// The mock phone: polls the mock server's outbox and adds new messages as they arrive.

const shownMessages = new Map(); // key → <li>
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function messageKey(message) {
  return `${message.userId}|${message.sentAt}|${message.code}`;
}

function renderMessage(message) {
  const item = document.createElement('li');
  item.className = 'sms';
  item.dataset.userId = message.userId;
  const meta = document.createElement('p');
  meta.className = 'sms-meta';
  meta.textContent = `Baanx · ${timeFormat.format(new Date(message.sentAt))}`;
  const body = document.createElement('p');
  body.className = 'sms-body';
  const code = document.createElement('strong');
  code.className = 'code';
  code.textContent = message.code;
  body.append('Your Baanx verification code is ', code, '.');
  const to = document.createElement('p');
  to.className = 'sms-to';
  to.textContent = `to ${message.phoneNumber}`;
  const use = document.createElement('button');
  use.type = 'button';
  use.className = 'link use-code';
  use.textContent = 'Use this code';
  use.hidden = true;
  use.addEventListener('click', () => {
    $('otp-code').value = message.code;
    markInvalid('otp-code', false);
    $('otp-code').focus();
  });
  const replaced = document.createElement('p');
  replaced.className = 'sms-replaced';
  replaced.textContent = 'Replaced by a newer code.';
  replaced.hidden = true;
  item.append(meta, body, to, replaced, use);
  return item;
}

// "Use this code" only beside the newest code for the person on the code step.
function updatePhoneButtons() {
  let newestForUser = true;
  for (const item of $('phone-messages').children) {
    const mine = currentView() === 'otp-form' && item.dataset.userId === flow.userId;
    const button = item.querySelector('.use-code');
    button.hidden = !(mine && newestForUser);
    button.disabled = state.busy;
    if (mine) newestForUser = false;
  }
}

function markSuperseded() {
  const seen = new Set();
  for (const item of $('phone-messages').children) {
    const old = seen.has(item.dataset.userId);
    item.classList.toggle('is-old', old);
    item.querySelector('.sms-replaced').hidden = !old;
    seen.add(item.dataset.userId);
  }
}

let phoneBusy = false;
async function refreshPhone() {
  if (phoneBusy || document.hidden) return;
  if (!isMock(state.settings.baseUrl)) return;
  phoneBusy = true;
  try {
    const response = await fetch(new URL('__mock/sms', MOCK_BASE_URL), { cache: 'no-store' });
    if (!response.ok) return;
    const { messages } = await response.json();
    if (!Array.isArray(messages)) return;
    const list = $('phone-messages');
    const keys = messages.map(messageKey);
    // The outbox was reset (or lost old messages): start over; otherwise only add the new ones on top.
    if ([...shownMessages.keys()].some((key) => !keys.includes(key))) {
      shownMessages.clear();
      list.replaceChildren();
    }
    for (let i = messages.length - 1; i >= 0; i -= 1) {
      if (shownMessages.has(keys[i])) continue;
      const item = renderMessage(messages[i]);
      shownMessages.set(keys[i], item);
      list.prepend(item);
    }
    $('phone-empty').hidden = messages.length > 0;
    markSuperseded();
    updatePhoneButtons();
  } catch {
    // The phone panel is a convenience of the mock; the sign-in works without it.
  } finally {
    phoneBusy = false;
  }
}

// ---------------------------------------------------------------------------------------------

async function start() {
  $('needs-script').hidden = true;
  fillSettingsForm(DEFAULTS);
  show('login-form');
  setBusy(true, 'Loading the sign-in module…');
  try {
    await applySettings({ ...DEFAULTS, timeoutS: String(DEFAULTS.timeoutS), cooldownS: String(DEFAULTS.cooldownS) });
  } catch (error) {
    setAlert(error instanceof BaanxError && error.code === ErrorCode.NETWORK
      ? 'The sign-in module could not be loaded. Reload the page to try again.'
      : describe(error));
  } finally {
    setBusy(false);
  }
  document.body.dataset.ready = 'true';
  $('email').focus();
  setInterval(refreshPhone, 1000);
}

start();
