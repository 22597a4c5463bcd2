// The demo page, driven the way a person uses it: by its labels and roles.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach, test } from 'node:test';
import { PASSWORD, USERS, launchBrowser, mockHook, startMockServer } from './harness.mjs';

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
let server;
let browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startMockServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

beforeEach(async () => {
  await mockHook(server, '/__mock/reset', {});
});

async function openDemo() {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  await page.waitForFunction(() => !document.getElementById('login-button').disabled);
  return page;
}

async function signIn(page, email, password) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

test('a user without OTP signs in and out', async () => {
  const page = await openDemo();
  await signIn(page, USERS.grace, PASSWORD);
  await page.getByRole('heading', { name: 'Signed in' }).waitFor();
  const token = await page.locator('#session-token').textContent();
  assert.ok(token.includes('…'), 'the token is shown masked');
  await page.screenshot({ path: path.join(artifacts, 'demo-signed-in.png'), fullPage: true });
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  await page.close();
});

test('the OTP flow: code step with the masked phone, code from the mock phone panel', async () => {
  const page = await openDemo();
  await signIn(page, USERS.ada, PASSWORD);
  const codeField = page.getByLabel('Verification code');
  await codeField.waitFor();
  assert.equal(await page.locator('#otp-phone').textContent(), '+445*****225');
  assert.equal(await codeField.getAttribute('autocomplete'), 'one-time-code');
  // The mock phone panel shows the code the server sent.
  const message = page.locator('#phone-messages .code').first();
  await message.waitFor({ timeout: 10000 });
  const code = (await message.textContent()).trim();
  assert.match(code, /^\d{6}$/);
  assert.ok(await page.getByRole('button', { name: 'Resend code' }).isDisabled());
  await page.screenshot({ path: path.join(artifacts, 'demo-code-step.png'), fullPage: true });
  await codeField.fill(` ${code} `);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Signed in' }).waitFor();
  await page.close();
});

test('a wrong password shows an alert that does not echo the password', async () => {
  const page = await openDemo();
  await signIn(page, USERS.grace, 'Not-The-Passw0rd');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const text = await alert.textContent();
  assert.match(text, /do not match/);
  assert.equal(text.includes('Not-The-Passw0rd'), false);
  await page.screenshot({ path: path.join(artifacts, 'demo-error.png'), fullPage: true });
  await page.close();
});

test('unfinished onboarding names the phase', async () => {
  const page = await openDemo();
  await signIn(page, USERS.linus, PASSWORD);
  await page.getByRole('heading', { name: 'Finish setting up your account' }).waitFor();
  assert.equal(await page.locator('#onboarding-phase').textContent(), 'PHONE_NUMBER');
  await page.close();
});

test('the page has no console errors', async () => {
  assert.deepEqual(browser.consoleErrors, []);
});
