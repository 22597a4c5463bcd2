// The demo page: the documented flow of js-api.md, driven through the baanx-auth module. Plain DOM
// code on purpose, one ES module per view (sign-in.js, signed-in.js, onboarding.js, settings.js,
// phone.js) around the page frame (page.js) and the wording of errors (messages.js); no framework or
// bundler needed. This entry wires the views together and makes the first client. The page itself
// writes nothing to localStorage or sessionStorage; with "Keep me signed in" ticked, the module
// keeps the session there (localStorage), and only the session.
import { describeError } from './messages.js';
import { $, setAlert, setBusy, show, state } from './page.js';
import { connectPhone, refreshPhone } from './phone.js';
import { DEFAULTS, applySettings, fillSettingsForm } from './settings.js';
import { backToLogin, codeStepUser, useCode } from './sign-in.js';
import { connectSignedIn, showSession } from './signed-in.js';

// The key the module keeps a session under by default, which this page uses.
const SESSION_KEY = 'baanx-auth.session';

connectPhone({ codeStepUser, useCode });
connectSignedIn({ signedOut: (status) => backToLogin({ status }) });

// Whether an earlier visit ticked "Keep me signed in": remembering the box itself would be storage
// too, so the session record it left stands for it. Only a client made with storage 'local' finds
// that record (and drops it if it is no longer valid); without one the page starts as the box's
// default, keeping nothing.
function keptSessionFound() {
  try {
    return localStorage.getItem(SESSION_KEY) !== null;
  } catch {
    return false; // storage blocked: nothing can have been kept
  }
}

async function start() {
  $('needs-script').hidden = true;
  fillSettingsForm(DEFAULTS);
  const kept = keptSessionFound();
  $('keep-signed-in').checked = kept;
  show('login-form');
  setBusy(true, 'Loading the sign-in module…');
  try {
    await applySettings({
      ...DEFAULTS, timeoutS: String(DEFAULTS.timeoutS), cooldownS: String(DEFAULTS.cooldownS),
      storage: kept ? 'local' : 'memory',
    });
  } catch (error) {
    setAlert(describeError(error));
  } finally {
    setBusy(false);
  }
  // Restored before createClient resolved: the page opens signed in, with no new login.
  if (state.client?.session) showSession(state.client.session);
  else $('email').focus();
  document.body.dataset.ready = 'true';
  setInterval(refreshPhone, 1000);
}

start();
