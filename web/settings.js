// The settings panel: which Baanx server, client key, region and timings the client is made with,
// and where the client keeps its session (the "Keep me signed in" box of the sign-in form).
// Applying them recreates the client. The client key is never stored anywhere but in its field, in
// the config of the client in use (this module's memory, to make it again with another storage)
// and inside the client.
import { createClient } from './baanx-auth.mjs';
import { describeError, settingsFieldMessage } from './messages.js';
import { $, MOCK_BASE_URL, clearInvalid, isMock, markInvalid, setAlert, setBusy, state } from './page.js';
import { refreshPhone } from './phone.js';
import { backToLogin } from './sign-in.js';
import { followSession } from './signed-in.js';

// Query parameters shorten the client's timings for tests and impatient people: ?timeout=5&cooldown=3.
function secondsParam(name, fallback, minimum) {
  const raw = new URLSearchParams(location.search).get(name);
  const value = raw === null || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(value) && value >= minimum ? value : fallback;
}

export const DEFAULTS = Object.freeze({
  baseUrl: MOCK_BASE_URL,
  clientKey: 'demo-client-key',
  region: 'international',
  timeoutS: secondsParam('timeout', 15, 1),
  cooldownS: secondsParam('cooldown', 60, 0),
});

state.settings = {
  baseUrl: DEFAULTS.baseUrl, region: DEFAULTS.region, timeoutS: DEFAULTS.timeoutS, cooldownS: DEFAULTS.cooldownS,
};

// The input of each client config field the panel sets.
const INPUTS = {
  baseUrl: 'base-url',
  clientKey: 'client-key',
  timeoutMs: 'timeout-s',
  resendCooldownMs: 'cooldown-s',
};

export function fillSettingsForm(values) {
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

/** Where the box on the sign-in form asks the session to be kept: 'local' when ticked. */
export function chosenStorage() {
  return $('keep-signed-in').checked ? 'local' : 'memory';
}

// The config of the client in use, kept to make it again with another storage.
let clientConfig = null;

async function makeClient(config) {
  // Checked first with nothing kept: settings that are refused change nothing, not even the
  // session in use.
  let client = await createClient({ ...config, storage: 'memory' }); // rejects with invalid_argument + field
  const previous = state.client;
  state.stopFollowing?.();
  // The session in use belongs to the server and key it was made with: it ends there, and leaves
  // the storage before a client with other settings could pick it up from it.
  if (previous?.session) previous.logout().catch(() => {});
  if (config.storage !== 'memory') client = await createClient(config);
  state.client = client;
  state.stopFollowing = client.onSessionChange(followSession);
  clientConfig = config;
}

/**
 * Makes the client from these values (timings as the form's text, storage as chosenStorage gives
 * it); rejects as createClient does.
 */
export async function applySettings(values) {
  const config = {
    baseUrl: values.baseUrl.trim(),
    clientKey: values.clientKey,
    region: values.region,
    timeoutMs: values.timeoutS === '' ? NaN : Math.round(Number(values.timeoutS) * 1000),
    resendCooldownMs: values.cooldownS === '' ? NaN : Math.round(Number(values.cooldownS) * 1000),
    storage: values.storage,
  };
  await makeClient(config);
  state.settings = {
    baseUrl: config.baseUrl, region: config.region,
    timeoutS: config.timeoutMs / 1000, cooldownS: config.resendCooldownMs / 1000,
  };
  describeTarget(state.settings);
  refreshPhone();
}

/**
 * Makes the client again with the applied settings and `storage`, unless it already keeps its
 * session there. The box decides where the next sign-in is kept: ticking it must not need the
 * settings applied again.
 */
export async function useStorage(storage) {
  if (clientConfig && clientConfig.storage !== storage) await makeClient({ ...clientConfig, storage });
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
      timeoutS: $('timeout-s').value, cooldownS: $('cooldown-s').value, storage: chosenStorage(),
    });
  } catch (error) {
    failed = error;
  } finally {
    setBusy(false);
  }
  if (failed) {
    setAlert(`Settings not applied. ${describeError(failed)}`);
    const inputId = INPUTS[failed.field];
    if (inputId) {
      markInvalid(inputId, true);
      $(`${inputId}-error`).textContent = settingsFieldMessage(failed.field);
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
