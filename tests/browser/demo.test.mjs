// The demo page, driven the way a person uses it: by its labels and roles. Every view is checked
// with axe-core at desktop and phone width and photographed into artifacts/ (not committed).
//
// Secrets hygiene: no assertion message here ever contains the password, a code or a token; axe
// failures print rule ids and selectors only.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { CLIENT_KEY, PASSWORD, USERS, mockHook, useBrowserSuite } from './harness.mjs';

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const DESKTOP = { name: 'desktop', width: 1280, height: 800 };
const PHONE = { name: 'phone', width: 375, height: 740 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// No shared page: each test opens its own (withDemo).
const suite = useBrowserSuite({ page: false });

before(() => mkdirSync(artifacts, { recursive: true }));

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * Opens the page (optionally with a query such as ?cooldown=2), runs `body`, always closes it.
 * `init` runs in the page before its scripts.
 */
async function withDemo(query, body, init) {
  const page = await suite.browser.newPage();
  try {
    await page.setViewportSize({ width: DESKTOP.width, height: DESKTOP.height });
    if (init) await page.addInitScript(init);
    await page.goto(new URL(query, suite.server.url).href);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    assert.equal(await page.getByRole('alert').textContent(), '', 'the page loads without an error');
    await body(page);
  } finally {
    // The pages of this suite share one origin: a session one test kept must not open the next.
    await page.evaluate(() => localStorage.clear()).catch(() => {});
    await page.close();
  }
}

async function signIn(page, email, password) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Failure messages show what the page said, less anything that looks like a secret. */
function redact(text) {
  return String(text).replaceAll(PASSWORD, '[password]').replace(/\d{6}/g, '[code]')
    .replace(/US_[0-9a-f-]{8,}/gi, '[token]');
}

/** Polls until the locator's text matches; fails with (a redacted copy of) what it last saw. */
async function waitForText(locator, pattern, timeout = 8000) {
  const deadline = Date.now() + timeout;
  let text = '';
  for (;;) {
    const found = (await locator.count()) > 0;
    text = (found ? await locator.first().textContent() : '') ?? '';
    if (found && pattern.test(text)) return text;
    if (Date.now() > deadline) {
      assert.fail(found ? `expected text matching ${pattern}, saw "${redact(text)}"`
        : `expected text matching ${pattern}, but no such element exists`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function alertText(page, pattern) {
  return waitForText(page.getByRole('alert'), pattern);
}

async function statusText(page, pattern) {
  return waitForText(page.getByRole('status'), pattern);
}

/** The newest code the mock has sent (read from its test hook, not from the page). */
async function latestCode() {
  const response = await fetch(new URL('/__mock/sms', suite.server.url));
  const { messages } = await response.json();
  return messages[0]?.code;
}

async function waitForNewCode(previous) {
  for (let i = 0; i < 100; i += 1) {
    const code = await latestCode();
    if (code && code !== previous) return code;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail('the mock sent no new code');
}

function wrongCodeFor(code) {
  return code === '000000' ? '111111' : '000000';
}

async function reachCodeStep(page) {
  await signIn(page, USERS.ada, PASSWORD);
  await page.getByLabel('Verification code').waitFor();
  await waitForText(page.locator('#resend-hint'), /new code/); // the send has been answered
  return waitForNewCode(undefined);
}

/** Runs axe-core and writes a screenshot, at desktop and at phone width. */
async function checkView(page, view) {
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize({ width: size.width, height: size.height });
    // Let one-off transitions (a message sliding in) end: axe measures colours as they are now.
    await page.evaluate(() => Promise.all(document.getAnimations()
      .filter((animation) => Number.isFinite(animation.effect?.getComputedTiming().endTime))
      .map((animation) => animation.finished.catch(() => {}))));
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
      await page.addScriptTag({ path: AXE_PATH });
    }
    const violations = await page.evaluate(async () => {
      const results = await window.axe.run(document);
      return results.violations.map((violation) => ({
        id: violation.id,
        targets: violation.nodes.map((node) => node.target.join(' ')),
      }));
    });
    assert.deepEqual(violations, [], `axe violations in "${view}" at ${size.name} width: ` +
      violations.map((v) => `${v.id} (${v.targets.join(', ')})`).join('; '));
    // Horizontal scrolling on a phone means something does not fit.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `"${view}" is wider than the ${size.name} viewport by ${overflow}px`);
    await page.screenshot({
      path: path.join(artifacts, `demo-${view}-${size.name}.png`),
      fullPage: true,
      animations: 'disabled',
    });
  }
  await page.setViewportSize({ width: DESKTOP.width, height: DESKTOP.height });
}

async function focusedId(page) {
  return page.evaluate(() => document.activeElement?.id ?? '');
}

// ---------------------------------------------------------------------------------------------
// Sign-in

test('sign-in view: labelled Email and Password fields and a Log in button, focus in Email', async () => {
  await withDemo('/', async (page) => {
    const email = page.getByLabel('Email');
    const password = page.getByLabel('Password');
    assert.equal(await email.getAttribute('type'), 'email');
    assert.equal(await email.getAttribute('autocomplete'), 'username');
    assert.equal(await password.getAttribute('type'), 'password');
    assert.equal(await password.getAttribute('autocomplete'), 'current-password');
    assert.ok(await page.getByRole('button', { name: 'Log in' }).isEnabled());
    assert.equal(await focusedId(page), 'email', 'focus starts in the Email field');
    await checkView(page, 'sign-in');

    // The test-user list fills in the form.
    await page.getByRole('button', { name: 'Fill in ada@example.com' }).click();
    assert.equal(await email.inputValue(), USERS.ada);
    assert.ok(await password.inputValue() === PASSWORD, 'the demo password is filled in');
    assert.equal(await focusedId(page), 'login-button', 'focus moves to Log in');
  });
});

test('without its script the page sends nothing, neither in the address nor in a request', async () => {
  // A page of the context itself: the 404 it is made to meet is not one of the console errors
  // the other tests collect.
  const page = await suite.browser.context.newPage();
  try {
    const sent = [];
    page.on('request', (request) => {
      if (request.method() !== 'GET' || new URL(request.url()).search) sent.push(request.url());
    });
    await page.route('**/app.js', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await page.goto(suite.server.url);
    assert.ok(await page.getByText('This page needs its script').isVisible());
    assert.equal(await page.getByRole('button', { name: 'Log in' }).isDisabled(), true);
    await page.getByLabel('Email').fill(USERS.grace);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('button', { name: 'Log in' }).click({ force: true });
    await page.waitForTimeout(300);
    assert.equal(new URL(page.url()).search, '', 'the form put something in the address');
    assert.equal(sent.length, 0, 'the form sent a request with data');
  } finally {
    await page.close();
  }
});

test('with its script the page hides the note about it', async () => {
  await withDemo('/', async (page) => {
    assert.equal(await page.getByText('This page needs its script').isVisible(), false);
  });
});

test('a wrong password: the alert says so in words and never echoes the password', async () => {
  await withDemo('/', async (page) => {
    const wrong = 'Not-The-Passw0rd';
    await signIn(page, USERS.grace, wrong);
    const text = await alertText(page, /don't match/);
    assert.equal(text.includes(wrong), false, 'the alert does not echo the password');
    assert.equal(await page.getByLabel('Password').getAttribute('aria-invalid'), 'true');
    assert.equal(await focusedId(page), 'password', 'focus goes back to the Password field');
    await checkView(page, 'sign-in-error');
  });
});

test('errors are keyed on the code: bad email, disabled, rate limited, network down, server error', async () => {
  await withDemo('/', async (page) => {
    const cases = [
      { email: 'not-an-email', alert: /Enter your email address/ },
      { email: USERS.mallory, alert: /account has been disabled/ },
      { fault: { kind: 'rate_limit_seconds', seconds: 42 }, alert: /Too many attempts\. Please wait 42 seconds/ },
      { fault: { kind: 'rate_limit_seconds', seconds: 300 }, alert: /Please wait 5 minutes/ },
      { fault: { kind: 'html_5xx', status: 503 }, alert: /problem on its side \(HTTP 503\)/ },
      { fault: { kind: 'truncated_json' }, alert: /could not be read/ },
      // More than once: Chromium may retry a request whose reused connection closed silently.
      { fault: { kind: 'drop', times: 5 }, alert: /Can't reach the server/ },
    ];
    for (const { email = USERS.grace, fault, alert } of cases) {
      if (fault) await mockHook(suite.server, '/__mock/fault', { path: '/v1/auth/login', times: 1, ...fault });
      await signIn(page, email, PASSWORD);
      const text = await alertText(page, alert);
      assert.equal(text.includes(PASSWORD), false, 'no alert echoes the password');
      await page.waitForFunction(() => !document.getElementById('login-button').disabled);
      await mockHook(suite.server, '/__mock/fault', undefined, 'DELETE');
    }
  });
});

test('a timeout says the server did not answer in time', async () => {
  await withDemo('/?timeout=1', async (page) => {
    await mockHook(suite.server, '/__mock/fault', { path: '/v1/auth/login', kind: 'delay', delayMs: 2500, times: 1 });
    await signIn(page, USERS.grace, PASSWORD);
    await alertText(page, /did not answer within 1 second\b/);
  });
});

test('while a request is in flight the buttons are disabled, progress shows, and a second submit sends nothing', async () => {
  await withDemo('/', async (page) => {
    let logins = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/v1/auth/login')) logins += 1;
    });
    await mockHook(suite.server, '/__mock/fault', { path: '/v1/auth/login', kind: 'delay', delayMs: 2000, times: 1 });
    await signIn(page, USERS.grace, PASSWORD);
    const button = page.getByRole('button', { name: 'Log in' });
    assert.ok(await button.isDisabled(), 'Log in is disabled while signing in');
    await statusText(page, /Signing in/);
    assert.ok(await page.locator('#status .spinner').isVisible(), 'a spinner turns');
    await page.screenshot({ path: path.join(artifacts, 'demo-sign-in-busy-desktop.png'), animations: 'disabled' });
    assert.equal(await page.locator('#login-form').getAttribute('aria-busy'), 'true');
    await page.getByLabel('Password').press('Enter'); // a second submit, from the keyboard
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    assert.equal(logins, 1, 'one login request for two submits');
  });
});

// ---------------------------------------------------------------------------------------------
// The code step

test('the code step: masked phone, a one-time-code field, the code from the mock phone, pasted with spaces', async () => {
  await withDemo('/', async (page) => {
    await signIn(page, USERS.ada, PASSWORD);
    const codeField = page.getByLabel('Verification code');
    await codeField.waitFor();
    assert.equal(await page.locator('#otp-phone').textContent(), '+445*****225');
    assert.equal(await codeField.getAttribute('autocomplete'), 'one-time-code');
    assert.equal(await codeField.getAttribute('inputmode'), 'numeric');
    assert.ok(Number(await codeField.getAttribute('maxlength')) >= 6, 'the field has a maxlength');
    assert.equal(await focusedId(page), 'otp-code', 'focus moves to the code field');

    // The mock phone panel shows the code the server sent.
    const phone = page.getByRole('complementary', { name: 'Mock phone' });
    assert.match(await phone.locator('.badge').textContent(), /stands in for SMS/i);
    const message = phone.getByRole('listitem').first();
    await message.waitFor({ timeout: 10000 });
    const code = (await message.locator('.code').textContent()).trim();
    assert.ok(/^\d{6}$/.test(code), 'the mock phone shows a 6-digit code');
    assert.ok(code === await latestCode(), 'the phone shows the code the mock sent');
    assert.ok(await page.getByRole('button', { name: 'Resend code' }).isDisabled());
    await statusText(page, /^$/);
    await checkView(page, 'code-step');

    // A real paste of "123 456" through the clipboard.
    await suite.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(suite.server.url).origin });
    await page.evaluate((text) => navigator.clipboard.writeText(text), ` ${code.slice(0, 3)} ${code.slice(3)} `);
    await codeField.focus();
    await page.keyboard.press('ControlOrMeta+V');
    assert.ok(await codeField.evaluate((input, expected) => input.value === expected, code),
      'the pasted code arrives without its spaces');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
  });
});

test('"Use this code" on the mock phone fills in the code field', async () => {
  await withDemo('/', async (page) => {
    const code = await reachCodeStep(page);
    await page.getByRole('button', { name: 'Use this code' }).click();
    assert.ok(await page.getByLabel('Verification code').evaluate((input, expected) => input.value === expected, code),
      'the code field holds the code from the mock phone');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
  });
});

test('a wrong code and an expired code each get a clear message; Back to sign-in returns to the form', async () => {
  await withDemo('/', async (page) => {
    const code = await reachCodeStep(page);
    const codeField = page.getByLabel('Verification code');
    await page.getByRole('button', { name: 'Verify' }).click();
    await alertText(page, /Enter the 6-digit code from the SMS/);
    await codeField.fill(wrongCodeFor(code));
    await page.getByRole('button', { name: 'Verify' }).click();
    await alertText(page, /That code isn't right/);
    assert.equal(await codeField.getAttribute('aria-invalid'), 'true');
    assert.equal(await focusedId(page), 'otp-code', 'focus stays in the code field');
    await checkView(page, 'code-step-error');

    await mockHook(suite.server, '/__mock/clock', { advanceMs: 301000 }); // past the mock's 300 s code lifetime
    await codeField.fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await alertText(page, /That code has expired\. Ask for a new one/);

    await page.getByRole('button', { name: 'Back to sign-in' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    assert.equal(await page.getByLabel('Email').inputValue(), USERS.ada, 'the email is kept');
    assert.ok(await page.getByLabel('Password').inputValue() === '', 'the password is not kept');
    assert.equal(await focusedId(page), 'password');
    await alertText(page, /^$/);
  });
});

test('too many wrong codes lock the account and send the person back to the sign-in form', async () => {
  await mockHook(suite.server, '/__mock/config', { maxOtpAttempts: 2 });
  await withDemo('/', async (page) => {
    const code = await reachCodeStep(page);
    const codeField = page.getByLabel('Verification code');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await codeField.fill(wrongCodeFor(code));
      await page.getByRole('button', { name: 'Verify' }).click();
      await alertText(page, /That code isn't right/);
      await page.waitForFunction(() => !document.getElementById('verify-button').disabled);
    }
    await codeField.fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await alertText(page, /This account is locked for now after too many attempts/);
    await page.getByLabel('Password').waitFor();
    assert.equal(await codeField.isVisible(), false, 'the code step is gone');
  });
});

test('Resend code: disabled during the cooldown with a live countdown; the new code shows on the mock phone; a 429 sets the wait', async () => {
  await mockHook(suite.server, '/__mock/config', { resendCooldownS: 1 });
  await withDemo('/?cooldown=3', async (page) => {
    const first = await reachCodeStep(page);
    const resend = page.getByRole('button', { name: 'Resend code' });
    const hint = page.locator('#resend-hint');
    assert.ok(await resend.isDisabled(), 'Resend code is disabled during the cooldown');
    const before = await waitForText(hint, /new code in 0:0[1-3]\./);
    await page.waitForTimeout(1100);
    const later = await waitForText(hint, /new code in 0:0[0-2]\./);
    assert.notEqual(later, before, 'the countdown moves');

    await page.waitForFunction(() => !document.getElementById('resend-button').disabled, null, { timeout: 5000 });
    await waitForText(hint, /new code now/);
    await statusText(page, /You can ask for a new code now/);
    await resend.click();
    const second = await waitForNewCode(first);
    const phone = page.getByRole('complementary', { name: 'Mock phone' });
    await page.waitForFunction(() => document.querySelectorAll('#phone-messages li').length === 2);
    const shown = await phone.getByRole('listitem').locator('.code').allTextContents();
    assert.ok(shown[0] === second && shown[1] === first, 'both codes are on the phone, newest first');
    assert.ok(await phone.getByRole('listitem').nth(1).getByText('Replaced by a newer code.').isVisible(),
      'the older code is marked as replaced');
    assert.equal(await phone.getByRole('listitem').first().getByText('Replaced by a newer code.').isVisible(), false);
    await statusText(page, /A new code is on its way/);
    assert.ok(await resend.isDisabled(), 'the cooldown starts again');

    // The server refuses the next one with 429 and Retry-After: the countdown follows it.
    await page.waitForFunction(() => !document.getElementById('resend-button').disabled, null, { timeout: 5000 });
    await mockHook(suite.server, '/__mock/fault', { path: '/v1/auth/login/otp', kind: 'rate_limit_seconds', seconds: 30, times: 1 });
    await resend.click();
    await alertText(page, /Please wait 30 seconds/);
    await waitForText(hint, /new code in 0:(29|30)\./);
    assert.ok(await resend.isDisabled(), 'Resend code waits for the server');
    await checkView(page, 'code-step-rate-limited');
  });
});

test('keyboard only: type, Tab and Enter through sign-in, the code step and log out', async () => {
  await withDemo('/', async (page) => {
    assert.equal(await focusedId(page), 'email');
    await page.keyboard.type(USERS.ada);
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'otp-code');
    const code = await waitForNewCode(undefined);
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    assert.equal(await focusedId(page), 'signed-in-title', 'focus moves to the Signed in heading');
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'logout-button', 'Log out is the next stop');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await statusText(page, /You have signed out/);
  });
});

// ---------------------------------------------------------------------------------------------
// Signed in, onboarding

test('signed in: user id, the token only masked, the expiry as local time with a countdown; Log out calls logout', async () => {
  await withDemo('/', async (page) => {
    const loginResponse = page.waitForResponse((response) => response.url().endsWith('/v1/auth/login'));
    const started = Date.now();
    await signIn(page, USERS.grace, PASSWORD);
    const token = (await (await loginResponse).json()).accessToken ?? '';
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    assert.ok(token.length > 20, 'the server issued a token');

    assert.match(await page.locator('#session-user').textContent(), UUID);
    const shown = await page.locator('#session-token').textContent();
    assert.ok(shown.startsWith(token.slice(0, 6)) && shown.endsWith(token.slice(-4)),
      'the token shows its first and last characters');
    assert.ok(shown.includes('•'), 'the middle is masked');
    assert.equal((await page.content()).includes(token), false, 'the full token is nowhere in the page');

    const expiresAt = Date.parse(await page.locator('#session-expiry').getAttribute('datetime'));
    assert.ok(Math.abs(expiresAt - (started + 6 * 3600 * 1000)) < 60000, 'expiry is six hours from now');
    assert.ok((await page.locator('#session-expiry').textContent()).trim().length > 0);
    const countdown = page.locator('#session-countdown');
    const first = await waitForText(countdown, /^5 h 59 min \d\d s$/);
    await page.waitForTimeout(1100);
    assert.notEqual(await countdown.textContent(), first, 'the countdown ticks');
    assert.equal(await page.locator('#session-verification').textContent(), 'VERIFIED');
    await checkView(page, 'signed-in');

    const logout = page.waitForRequest((request) => request.url().endsWith('/v1/auth/logout') &&
      request.method() === 'POST');
    await page.getByRole('button', { name: 'Log out' }).click();
    const request = await logout;
    assert.ok(request.headers().authorization === `Bearer ${token}`, 'logout carries the bearer token');
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await statusText(page, /You have signed out/);
    // The server revoked the token: a second logout with it is refused.
    const again = await fetch(new URL('/v1/auth/logout', suite.server.url), {
      method: 'POST', headers: { 'x-client-key': CLIENT_KEY, authorization: `Bearer ${token}` },
    });
    assert.equal(again.status, 401);
  });
});

test('when the session runs out, the page says so and goes back to the sign-in form', async () => {
  // Only Date.now moves: Playwright's fake timers hand out ids beyond 32 bits, which the module's
  // timers cannot hold, so they are not used here.
  const shiftableClock = () => {
    const realNow = Date.now;
    let offset = 0;
    Date.now = () => realNow() + offset;
    window.testAdvanceClock = (ms) => { offset += ms; };
  };
  await withDemo('/', async (page) => {
    await signIn(page, USERS.grace, PASSWORD);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    await waitForText(page.locator('#session-countdown'), /^5 h 59 min/);
    await page.evaluate(() => window.testAdvanceClock(6 * 3600 * 1000 + 1000));
    await statusText(page, /Your session has expired\. Please sign in again\./);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await alertText(page, /^$/);
  }, shiftableClock);
});

test('unfinished onboarding has its own view naming the phase', async () => {
  await withDemo('/', async (page) => {
    await signIn(page, USERS.linus, PASSWORD);
    await page.getByRole('heading', { name: 'Finish setting up your account' }).waitFor();
    assert.equal(await page.locator('#onboarding-phase').textContent(), 'PHONE_NUMBER');
    assert.equal(await page.locator('#onboarding-phase-name').textContent(), 'Phone number');
    const current = page.locator('#onboarding-steps [aria-current="step"]');
    assert.match(await current.textContent(), /Phone number/);
    assert.equal(await focusedId(page), 'onboarding-title');
    await checkView(page, 'onboarding');
    await page.getByRole('button', { name: 'Back to sign-in' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
  });
});

// ---------------------------------------------------------------------------------------------
// Settings

test('settings: bad values are refused in the alert, region US adds x-us-env, another server turns off the mock phone', async () => {
  await withDemo('/', async (page) => {
    await page.getByText('Settings', { exact: true }).click();
    const baseUrl = page.getByLabel('Base URL');
    await baseUrl.waitFor();
    assert.equal(await baseUrl.inputValue(), suite.server.url, 'the default talks to the bundled mock');
    assert.ok(await page.getByLabel('Client key').inputValue() === CLIENT_KEY, 'the demo client key is filled in');
    assert.equal(await page.getByLabel('Region').inputValue(), 'international');
    await checkView(page, 'settings');

    const apply = page.getByRole('button', { name: 'Apply' });
    for (const bad of ['ftp://example.com', 'http://example.com', 'https://example.com/?q=1']) {
      await baseUrl.fill(bad);
      await apply.click();
      await alertText(page, /Settings not applied\. Base URL: use an https:\/\/ address/);
      assert.equal(await baseUrl.getAttribute('aria-invalid'), 'true');
      assert.equal(await focusedId(page), 'base-url');
    }
    await checkView(page, 'settings-error');
    await baseUrl.fill(suite.server.url);
    await page.getByLabel('Client key').fill('  ');
    await apply.click();
    await alertText(page, /Client key: enter the client key/);
    assert.equal(await focusedId(page), 'client-key');

    // Region US: every request carries x-us-env: true.
    await page.getByLabel('Client key').fill(CLIENT_KEY);
    await page.getByLabel('Region').selectOption({ label: 'US' });
    await apply.click();
    await statusText(page, /Settings applied: talking to the bundled mock server \(US\)/);
    await alertText(page, /^$/);
    const login = page.waitForRequest((request) => request.url().endsWith('/v1/auth/login') &&
      request.method() === 'POST');
    await signIn(page, USERS.grace, PASSWORD);
    assert.equal((await login).headers()['x-us-env'], 'true');
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();

    // A wrong client key is the server's to refuse.
    await page.getByLabel('Client key').fill('not-the-demo-key');
    await apply.click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await signIn(page, USERS.grace, PASSWORD);
    await alertText(page, /did not accept the client key/);

    // Another server: the mock phone says it only works with the bundled mock.
    await baseUrl.fill('http://127.0.0.1:9/');
    await page.getByLabel('Client key').fill(CLIENT_KEY);
    await apply.click();
    await statusText(page, /talking to 127\.0\.0\.1:9 \(US\)/);
    const phone = page.getByRole('complementary', { name: 'Mock phone' });
    assert.match(await page.locator('#phone-note').textContent(), /only works with the bundled mock server/);
    assert.equal(await phone.getByRole('list').isVisible(), false, 'no messages are shown');
    await signIn(page, USERS.grace, PASSWORD);
    await alertText(page, /Can't reach the server/);
    await checkView(page, 'settings-remote');

    await page.getByRole('button', { name: 'Back to the bundled mock' }).click();
    await statusText(page, /talking to the bundled mock server \(International\)/);
    assert.equal(await baseUrl.inputValue(), suite.server.url);
    assert.match(await page.locator('#phone-note').textContent(), /codes the bundled mock Baanx server has sent/);
  });
});

test('nothing secret is stored: no password, code, token or client key in storage after a full flow', async () => {
  await withDemo('/', async (page) => {
    const code = await reachCodeStep(page);
    const loginResponse = page.waitForResponse((response) => response.url().endsWith('/v1/auth/login') &&
      response.request().postData()?.includes('otpCode'));
    await page.getByLabel('Verification code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    const token = (await (await loginResponse).json()).accessToken ?? '';
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    assert.ok(token.length > 20, 'the server issued a token');
    const stored = await page.evaluate(() => JSON.stringify({
      local: Object.entries(localStorage),
      session: Object.entries(sessionStorage),
      cookies: document.cookie,
    }));
    for (const [what, secret] of [['password', PASSWORD], ['code', code], ['token', token], ['client key', CLIENT_KEY]]) {
      assert.equal(stored.includes(secret), false, `the ${what} is not in storage`);
    }
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
  });
});

// ---------------------------------------------------------------------------------------------
// Keep me signed in

const SESSION_KEY = 'baanx-auth.session';

function keepBox(page) {
  return page.getByRole('checkbox', { name: 'Keep me signed in on this device' });
}

/** Waits for the page's script to have opened it, after a reload or in a new tab. */
async function ready(page) {
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
}

// What the page's origin keeps, as a count and a yes/no: a failing assertion prints its values,
// and a kept session holds a token.
async function storedItems(page) {
  return page.evaluate(() => localStorage.length + sessionStorage.length);
}

async function sessionKept(page) {
  return page.evaluate((key) => localStorage.getItem(key) !== null, SESSION_KEY);
}

test('keep me signed in: off by default; ticked, a reload opens signed in without a new login', async () => {
  await withDemo('/', async (page) => {
    assert.equal(await keepBox(page).isChecked(), false, 'the box starts unticked');
    await keepBox(page).check();
    await checkView(page, 'sign-in-keep');
    await signIn(page, USERS.grace, PASSWORD);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    const userId = await page.locator('#session-user').textContent();
    const expiry = await page.locator('#session-expiry').getAttribute('datetime');

    let logins = 0;
    page.on('request', (request) => {
      if (request.url().includes('/v1/auth/login')) logins += 1;
    });
    await page.reload();
    await ready(page);
    assert.ok(await page.getByRole('heading', { name: 'Signed in' }).isVisible(), 'the page opens signed in');
    assert.equal(logins, 0, 'no login request after the reload');
    assert.equal(await page.locator('#session-user').textContent(), userId);
    assert.equal(await page.locator('#session-expiry').getAttribute('datetime'), expiry,
      'the expiry is the kept session\'s');
    await waitForText(page.locator('#session-countdown'), /^5 h 59 min \d\d s$/);
    assert.match(await page.locator('#signed-in-kept').textContent(), /kept signed in on this device/);
    assert.equal(await focusedId(page), 'signed-in-title');
    await checkView(page, 'signed-in-kept');

    await page.getByRole('button', { name: 'Log out' }).click();
    await statusText(page, /You have signed out/);
    assert.equal(await keepBox(page).isChecked(), true, 'the box shows the choice that kept the session');
    assert.equal(await sessionKept(page), false, 'logging out removes the kept session');
    await page.reload();
    await ready(page);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
  });
});

test('keep me signed in unticked: nothing is stored and a reload opens the sign-in form', async () => {
  await withDemo('/', async (page) => {
    // Kept once, then unticked: the next sign-in is not kept.
    await keepBox(page).check();
    await signIn(page, USERS.grace, PASSWORD);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await keepBox(page).uncheck();
    await signIn(page, USERS.grace, PASSWORD);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    assert.equal(await storedItems(page), 0, 'nothing is stored');

    await page.reload();
    await ready(page);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Signed in' }).isVisible(), false);
    assert.equal(await keepBox(page).isChecked(), false, 'the box stays off');
    assert.equal(await focusedId(page), 'email');
    assert.equal(await storedItems(page), 0, 'still nothing stored');
  });
});

test('a kept session near its end: the page opens signed in and goes back to the form by itself', async () => {
  await withDemo('/', async (page) => {
    await keepBox(page).check();
    await signIn(page, USERS.grace, PASSWORD);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    // The same session, made to end in a few seconds.
    const expiresAt = await page.evaluate((key) => {
      const record = JSON.parse(localStorage.getItem(key));
      record.expiresAt = Date.now() + 4000;
      localStorage.setItem(key, JSON.stringify(record));
      return record.expiresAt;
    }, SESSION_KEY);
    await page.reload();
    await ready(page);
    assert.ok(await page.getByRole('heading', { name: 'Signed in' }).isVisible(), 'the page opens signed in');
    assert.equal(Date.parse(await page.locator('#session-expiry').getAttribute('datetime')), expiresAt,
      'the view shows when the kept session expires');
    await waitForText(page.locator('#session-countdown'), /^0 h 00 min 0[0-4] s$/);
    await statusText(page, /^Your session has expired\. Please sign in again\.$/);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await alertText(page, /^$/);
    assert.equal(await sessionKept(page), false, 'the expired session is no longer kept');
  });
});

test('a second tab follows a sign-out in the first', async () => {
  await withDemo('/', async (first) => {
    await keepBox(first).check();
    await signIn(first, USERS.grace, PASSWORD);
    await first.getByRole('heading', { name: 'Signed in' }).waitFor();
    const second = await suite.browser.newPage();
    try {
      await second.goto(suite.server.url);
      await ready(second);
      assert.ok(await second.getByRole('heading', { name: 'Signed in' }).isVisible(),
        'the second tab opens signed in');
      await first.getByRole('button', { name: 'Log out' }).click();
      await statusText(first, /You have signed out/);
      await statusText(second, /^You were signed out in another tab\.$/);
      await second.getByRole('button', { name: 'Log in' }).waitFor();
      assert.equal(await second.getByRole('heading', { name: 'Signed in' }).isVisible(), false);
    } finally {
      await second.close();
    }
  });
});

test('a kept session holds the session only: never the password, the code or the client key', async () => {
  await withDemo('/', async (page) => {
    await keepBox(page).check();
    const code = await reachCodeStep(page);
    await page.getByLabel('Verification code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    const record = await page.evaluate((key) => localStorage.getItem(key), SESSION_KEY);
    assert.ok(record !== null, 'the session is kept');
    assert.deepEqual(Object.keys(JSON.parse(record)).sort(), ['accessToken', 'expiresAt', 'userId']);
    const stored = await page.evaluate(() => JSON.stringify({
      local: Object.entries(localStorage), session: Object.entries(sessionStorage), cookies: document.cookie,
    }));
    for (const [what, secret] of [['password', PASSWORD], ['client key', CLIENT_KEY]]) {
      assert.equal(stored.includes(secret), false, `the ${what} is not in storage`);
    }
    // As a number of its own: the 13 digits of expiresAt may hold any six by chance.
    assert.equal(new RegExp(`(^|\\D)${code}(\\D|$)`).test(stored), false, 'the code is not in storage');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
  });
});

test('the page has no console errors', async () => {
  assert.deepEqual(suite.browser.consoleErrors, []);
});
