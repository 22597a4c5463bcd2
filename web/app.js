// The demo page: the documented flow of js-api.md, driven through the baanx-auth module. Plain DOM
// code on purpose, one ES module per view (sign-in.js, signed-in.js, onboarding.js, settings.js,
// phone.js) around the page frame (page.js) and the wording of errors (messages.js); no framework or
// bundler needed. This entry wires the views together and makes the first client. The page stores
// nothing in localStorage or sessionStorage.
import { describeError } from './messages.js';
import { $, setAlert, setBusy, show } from './page.js';
import { connectPhone, refreshPhone } from './phone.js';
import { DEFAULTS, applySettings, fillSettingsForm } from './settings.js';
import { backToLogin, codeStepUser, useCode } from './sign-in.js';
import { connectSignedIn } from './signed-in.js';

connectPhone({ codeStepUser, useCode });
connectSignedIn({ signedOut: (status) => backToLogin({ status }) });

async function start() {
  $('needs-script').hidden = true;
  fillSettingsForm(DEFAULTS);
  show('login-form');
  setBusy(true, 'Loading the sign-in module…');
  try {
    await applySettings({ ...DEFAULTS, timeoutS: String(DEFAULTS.timeoutS), cooldownS: String(DEFAULTS.cooldownS) });
  } catch (error) {
    setAlert(describeError(error));
  } finally {
    setBusy(false);
  }
  document.body.dataset.ready = 'true';
  $('email').focus();
  setInterval(refreshPhone, 1000);
}

start();
