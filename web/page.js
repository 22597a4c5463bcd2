// The page frame the views share: which view shows, the one alert and the one status line, the
// busy state that blocks a second submit, and the client in use.

export const $ = (id) => document.getElementById(id);

const VIEWS = ['login-form', 'otp-form', 'onboarding', 'signed-in'];
const ACTION_BUTTONS = ['login-button', 'verify-button', 'back-button', 'logout-button',
  'onboarding-back', 'settings-apply', 'settings-defaults'];

// The bundled mock serves this page: its API and its test hooks are on the page's own origin.
export const MOCK_BASE_URL = new URL('/', location.href).href;

export function isMock(baseUrl) {
  try {
    return new URL(baseUrl).origin === location.origin;
  } catch {
    return false;
  }
}

export const state = {
  client: null,
  stopFollowing: null, // unsubscribes the page from the client's session changes
  // What the client was made with, less the client key (which stays in its field and the client):
  // the defaults of settings.js until a change is applied.
  settings: null,
  busy: false, // a login, logout or settings change in flight: its buttons are disabled
  sending: '', // a code being sent (the progress text): only "Resend code" waits for it
};

// Views that follow the page: the mock phone redraws when the view changes, the resend countdown
// when the busy state does.
const viewListeners = [];
const busyListeners = [];
export const onViewShown = (listener) => viewListeners.push(listener);
export const onBusyChanged = (listener) => busyListeners.push(listener);

export function currentView() {
  return VIEWS.find((id) => !$(id).hidden);
}

export function show(view, focusId) {
  for (const id of VIEWS) $(id).hidden = id !== view;
  document.body.dataset.view = view;
  for (const listener of viewListeners) listener();
  if (focusId) $(focusId).focus();
}

export function setAlert(text) {
  $('alert').textContent = text ?? '';
}

export function setStatus(text, { busy = false } = {}) {
  $('status-text').textContent = text ?? '';
  $('status').classList.toggle('is-busy', busy);
}

export function setBusy(busy, text) {
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
  for (const listener of busyListeners) listener();
}

export function markInvalid(inputId, invalid) {
  const input = $(inputId);
  if (invalid) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

export function clearInvalid() {
  for (const input of document.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  for (const message of document.querySelectorAll('.field-error')) {
    message.textContent = '';
    message.hidden = true;
  }
}
