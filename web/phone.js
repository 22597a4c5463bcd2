// The mock phone: polls the mock server's outbox and adds new messages as they arrive. Beside the
// newest code for the person on the code step it offers "Use this code".
import { $, MOCK_BASE_URL, isMock, onViewShown, state } from './page.js';

const shownMessages = new Map(); // key → <li>
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
// Set by connectPhone: who is on the code step ('' for nobody), and what "Use this code" does.
let codeStepUser = () => '';
let useCode = () => {};

export function connectPhone(handlers) {
  ({ codeStepUser, useCode } = handlers);
}

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
  use.addEventListener('click', () => useCode(message.code));
  const replaced = document.createElement('p');
  replaced.className = 'sms-replaced';
  replaced.textContent = 'Replaced by a newer code.';
  replaced.hidden = true;
  item.append(meta, body, to, replaced, use);
  return item;
}

// "Use this code" only beside the newest code for the person on the code step.
function updatePhoneButtons() {
  const userId = codeStepUser();
  let newestForUser = true;
  for (const item of $('phone-messages').children) {
    const mine = userId !== '' && item.dataset.userId === userId;
    const button = item.querySelector('.use-code');
    button.hidden = !(mine && newestForUser);
    button.disabled = state.busy;
    if (mine) newestForUser = false;
  }
}
onViewShown(updatePhoneButtons);

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
export async function refreshPhone() {
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
