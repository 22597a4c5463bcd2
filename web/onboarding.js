// The view for an account whose onboarding is unfinished: where it stopped, among the phases
// Baanx walks a new account through.
import { $, show } from './page.js';

const ONBOARDING_PHASES = [
  ['ACCOUNT', 'Account'],
  ['PHONE_NUMBER', 'Phone number'],
  ['PERSONAL_INFORMATION', 'Personal information'],
  ['PHYSICAL_ADDRESS', 'Home address'],
  ['MAILING_ADDRESS', 'Mailing address'],
];

export function showOnboarding(phase) {
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
