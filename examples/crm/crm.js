// The CRM example: a customer table where every number is a <centrex-click-to-call>, and a screen-pop that shows
// the customer when one of them calls. The CRM keeps its own customer data; the SDK only asks it who a number
// belongs to (the `lookup` hook) and tells it when a call comes in (`centrex-incoming`).
// Every text from the data goes in through textContent or element properties, never as HTML.
import '/dist/cdn/centrex-sdk.js';

/** The CRM's customers; the numbers are the demo tenant's "outside world" numbers, so calls really connect. */
const CUSTOMERS = [
  { id: 'c1', company: 'Müller Maschinenbau GmbH', contact: 'Petra Müller', city: 'Berlin', phone: '+49 30 5550100' },
  { id: 'c2', company: 'Schulz Logistik AG', contact: 'Jonas Schulz', city: 'Potsdam', phone: '+49 30 5550101' },
  { id: 'c3', company: 'Bäckerei Krüger', contact: 'Ayşe Krüger', city: 'Berlin', phone: '+49 30 5550102' },
];

const provider = document.getElementById('centrex');
const message = document.getElementById('message');

/** Digits only, so that "+49 30 5550100", "0305550100" and "+49305550100" can be compared by their ending. */
const digits = (text) => String(text ?? '').replace(/\D/g, '');

/** The customer a calling number belongs to, if any (compares the last nine digits). */
function customerFor(number) {
  const wanted = digits(number).slice(-9);
  if (wanted.length < 5) return undefined;
  return CUSTOMERS.find((customer) => digits(customer.phone).endsWith(wanted));
}

function renderTable() {
  const body = document.querySelector('#customers tbody');
  for (const customer of CUSTOMERS) {
    const row = document.createElement('tr');
    row.dataset.customer = customer.id;
    for (const text of [customer.company, customer.contact, customer.city]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    const phone = document.createElement('td');
    const button = document.createElement('centrex-click-to-call');
    button.setAttribute('number', customer.phone);
    button.setAttribute('name', customer.company);
    phone.append(button);
    row.append(phone);
    body.append(row);
  }
}

// The screen-pop: the incoming-call popup asks the CRM who is calling; the page also marks the customer's row.
const incoming = document.getElementById('incoming');
incoming.lookup = async (number) => {
  const customer = customerFor(number);
  return customer ? { name: customer.company, detail: `${customer.contact} · ${customer.city}` } : undefined;
};
incoming.addEventListener('centrex-incoming', (event) => {
  const call = event.detail.call;
  const customer = customerFor(call.remote.user);
  const pop = document.getElementById('screen-pop');
  document.querySelectorAll('tr.calling').forEach((row) => row.classList.remove('calling'));
  if (!customer) {
    pop.hidden = true;
    return;
  }
  document.getElementById('screen-pop-name').textContent = customer.company;
  document.getElementById('screen-pop-detail').textContent = `${customer.contact} · ${customer.city} · ${customer.phone}`;
  pop.hidden = false;
  document.querySelector(`tr[data-customer="${customer.id}"]`)?.classList.add('calling');
});

// Signing in: the CRM has its own small form; the phone then runs in this page (no full phone app needed).
const form = document.getElementById('sign-in');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  message.textContent = 'Connecting…';
  try {
    await provider.signIn(String(data.get('email')), String(data.get('password')));
    message.textContent = '';
  } catch (error) {
    message.textContent = `Could not connect: ${error.message}`;
  }
});
provider.addEventListener('centrex-ready', ({ detail }) => {
  form.hidden = true;
  document.getElementById('session').hidden = false;
  document.getElementById('user').textContent = `${detail.client.me.name} (${detail.client.me.extension})`;
});
provider.addEventListener('centrex-signed-out', () => {
  form.hidden = false;
  document.getElementById('session').hidden = true;
});
document.getElementById('sign-out').addEventListener('click', () => void provider.signOut());

const theme = document.getElementById('theme');
theme.addEventListener('click', () => {
  const dark = document.documentElement.classList.toggle('dark');
  theme.setAttribute('aria-pressed', String(dark));
});
if (new URLSearchParams(location.search).get('theme') === 'dark') theme.click();

renderTable();
