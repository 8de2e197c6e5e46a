// The "who reaches me?" tester. Plain DOM code on the self-contained core bundle; every text goes in through
// textContent, so nothing typed here is ever interpreted as HTML.
import {
  addProfile,
  applyStarCode,
  createDefaultForwarding,
  formatNumber,
  isCentrexError,
  normalizeNumber,
  parseStarCode,
  planIncomingCall,
  toStarCodes,
  updateProfile,
  validateForwarding,
} from '/dist/cdn/centrex-core.js';

const dialPlan = { country: 'DE' };
const contacts = { clara: ['0171 3921234'] };
const context = { dialPlan, contactNumbers: (id) => contacts[id] ?? [] };
const $ = (id) => document.getElementById(id);

/** Builds a profile 1 with the given forwarding and rules, active. */
function scenario(title, forwarding, selective) {
  const base = addProfile(createDefaultForwarding(), { number: 1, title });
  const settings = updateProfile(base, { ...base.profiles[1], forwarding, selective });
  return { ...settings, activeProfile: 1 };
}

const colleague = { type: 'number', number: '44' };
const SCENARIOS = {
  'Standard profile only': createDefaultForwarding(),
  'Clara always to voicemail (contact 0171 3921234)': scenario('Urlaub', {}, [
    { id: 'clara', match: { type: 'contact', contactId: 'clara' }, forwarding: { always: { type: 'voicemail' } } },
  ]),
  'Anonymous callers to voicemail': scenario('Keine Anonymen', {}, [
    { id: 'anonymous', match: { type: 'anonymous' }, forwarding: { always: { type: 'voicemail' } } },
  ]),
  'Internal calls to the assistant (21), who still gets through': scenario('Chef', { noAnswer: { after: 20, to: { type: 'voicemail' } } }, [
    { id: 'internal', match: { type: 'internal' }, forwarding: { always: { type: 'number', number: '21' } } },
    { id: 'assistant', match: { type: 'extension', extension: '21' }, forwarding: {} },
  ]),
  'Calls from Germany to a German-speaking colleague (44)': scenario('Vorwahlen', {}, [
    { id: 'germany', match: { type: 'prefix', prefix: '+49' }, forwarding: { always: colleague } },
    { id: 'munich', match: { type: 'prefix', prefix: '+4989' }, forwarding: { always: colleague } },
    { id: 'customer', match: { type: 'prefix', prefix: '+4989999998' }, forwarding: { always: colleague } },
    { id: 'contact-person', match: { type: 'prefix', prefix: '+4989999998101' }, forwarding: {} },
  ]),
};

function describeDestination(to) {
  if (to.type === 'voicemail') return 'your voicemail';
  if (to.type === 'busy') return 'a busy signal';
  const reading = normalizeNumber(to.number, dialPlan);
  return reading.kind === 'extension' ? `extension ${reading.extension}` : formatNumber(to.number, dialPlan);
}

function readSettings() {
  try {
    return { settings: JSON.parse($('settings').value) };
  } catch (error) {
    return { error: `The settings are not valid JSON: ${error.message}` };
  }
}

function showIssues(list) {
  const box = $('issues');
  box.replaceChildren();
  if (list.length === 0) {
    const ok = document.createElement('p');
    ok.className = 'ok';
    ok.textContent = 'Valid settings.';
    box.append(ok);
    return;
  }
  const ul = document.createElement('ul');
  ul.className = 'issues error';
  for (const issue of list) {
    const li = document.createElement('li');
    li.textContent = `${issue.code}: ${issue.message}`;
    ul.append(li);
  }
  box.append(ul);
}

function currentCall() {
  const kind = $('caller-kind').value;
  const value = $('caller').value;
  if (kind === 'anonymous') return { from: { anonymous: true } };
  return kind === 'extension' ? { from: { extension: value } } : { from: { number: value } };
}

function update() {
  const { settings, error } = readSettings();
  if (error) {
    showIssues([{ code: 'json', message: error }]);
    $('result').textContent = '';
    return;
  }
  showIssues(validateForwarding(settings, dialPlan));
  const call = currentCall();
  const number = call.from.number;
  $('caller-reading').textContent =
    number === undefined ? '' : `Read as: ${JSON.stringify(normalizeNumber(number, dialPlan))}`;
  const callee = {
    registered: $('registered').checked,
    busy: $('busy').checked,
    callWaiting: $('call-waiting').checked,
    dnd: $('dnd').checked,
  };
  try {
    const plan = planIncomingCall(settings, call, callee, context);
    const byRule = plan.rule ? ` (selective rule "${plan.rule}")` : '';
    if (plan.action === 'ring') {
      $('result').textContent = `Your phone rings${byRule}.`;
      const later = [];
      if (plan.onNoAnswer) later.push(`unanswered after ${plan.onNoAnswer.after} s: ${describeDestination(plan.onNoAnswer.to)}`);
      if (plan.onBusy) later.push(`declined: ${describeDestination(plan.onBusy)}`);
      $('result-detail').textContent = later.length ? `Then, if ${later.join('; if ')}.` : 'No further forwarding.';
    } else if (plan.action === 'forward') {
      $('result').textContent = `Forwarded to ${describeDestination(plan.to)}${byRule}.`;
      $('result-detail').textContent = `Reason: ${plan.reason}.`;
    } else {
      $('result').textContent = `The caller gets SIP ${plan.status} (${plan.reason}).`;
      $('result-detail').textContent = '';
    }
  } catch (failure) {
    $('result').textContent = isCentrexError(failure) ? `${failure.code}: ${failure.message}` : String(failure);
  }
  $('star-codes').textContent = toStarCodes(settings).join('  ');
}

function dialStarCode(event) {
  event.preventDefault();
  const out = $('star-result');
  const { settings, error } = readSettings();
  if (error) {
    out.textContent = error;
    return;
  }
  try {
    const code = parseStarCode($('star').value, dialPlan);
    if (code === undefined) {
      out.className = 'muted';
      out.textContent = 'Not a forwarding code: the telephone system would dial it as a number.';
      return;
    }
    $('settings').value = JSON.stringify(applyStarCode(settings, code), null, 2);
    out.className = 'ok';
    out.textContent = `Applied: ${JSON.stringify(code)}`;
    update();
  } catch (failure) {
    out.className = 'error';
    out.textContent = isCentrexError(failure) ? `${failure.code}: ${failure.message}` : String(failure);
  }
}

const select = $('scenario');
for (const name of Object.keys(SCENARIOS)) select.append(new Option(name, name));
select.value = 'Calls from Germany to a German-speaking colleague (44)';
const loadScenario = () => {
  $('settings').value = JSON.stringify(SCENARIOS[select.value], null, 2);
  update();
};
select.addEventListener('change', loadScenario);
for (const id of ['settings', 'caller', 'caller-kind', 'registered', 'busy', 'call-waiting', 'dnd']) {
  $(id).addEventListener('input', update);
}
$('star-form').addEventListener('submit', dialStarCode);
loadScenario();
