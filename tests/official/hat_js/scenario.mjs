// Dataswift's JavaScript client (@dataswift/hat-js, pinned in package.json) against a sandbox.
// Usage: HAT=127.0.0.1:PORT TOKEN=<owner token> node scenario.mjs
// Prints one JSON object: each step's name -> {"value": ...} or {"error": ..., "status": ...}.
// The test (tests/official/test_hat_js.py) says what each step must give.
import hatjs from '@dataswift/hat-js';

const { HatClient } = hatjs;
const { HAT, TOKEN } = process.env;
const NS = 'sandbox-app';
const EP = 'hat-js';
const results = {};

async function step(name, action) {
  try {
    const answer = await action();
    const value = answer && typeof answer === 'object' && 'parsedBody' in answer ? answer.parsedBody : answer;
    results[name] = { value: value === undefined ? null : value };
  } catch (error) {
    results[name] = { error: String(error?.message ?? error), status: error?.status ?? null };
  }
  return results[name].value;
}

const hat = new HatClient({ token: TOKEN, apiVersion: 'v2.6', secure: false });

await step('domain', () => hat.auth().getHatDomain());
await step('expired', () => hat.auth().isTokenExpired(TOKEN));
await step('registered', () => hat.auth().isDomainRegistered(HAT));
await step('registered-other-host', () => hat.auth().isDomainRegistered(HAT.replace('127.0.0.1', 'localhost')));

const one = await step('create', () => hat.hatData().create(NS, EP, { text: 'one', n: 1 }));
const two = await step('create-array', () => hat.hatData().create(NS, EP, [{ text: 'two', n: 2 }, { text: 'three', n: 3 }]));
await step('create-duplicate', () => hat.hatData().create(NS, EP, { text: 'one', n: 1 }));
await step('newest-two', async () =>
  (await hat.hatData().getAll(NS, EP, { orderBy: 'n', ordering: 'descending', take: '2' })).parsedBody.map((r) => r.data.n));
await step('after-first', async () =>
  (await hat.hatData().getAll(NS, EP, { orderBy: 'n', ordering: 'ascending', skip: '1' })).parsedBody.map((r) => r.data.n));
await step('update', () => hat.hatData().update([{ endpoint: `${NS}/${EP}`, recordId: one.recordId, data: { text: 'one!', n: 1 } }]));
await step('delete', () => hat.hatData().delete([two[1].recordId]));
await step('delete-unknown', () => hat.hatData().delete(['00000000-0000-0000-0000-000000000000']));
await step('left', async () => (await hat.hatData().getAllDefault(NS, EP)).parsedBody.map((r) => r.data.text).sort());
// getAll passes any option as a query parameter: the HAT reads the first unknown one as a filter.
await step('filtered', async () => (await hat.hatData().getAll(NS, EP, { text: 'two' })).parsedBody.map((r) => r.data.text));
await step('filtered-number', async () => (await hat.hatData().getAll(NS, EP, { n: '2' })).parsedBody.length);
await step('update-unknown', () =>
  hat.hatData().update([{ endpoint: `${NS}/${EP}`, recordId: '00000000-0000-0000-0000-000000000000', data: { text: 'x' } }]));

await step('application', async () => (await hat.applications().getById(NS)).parsedBody.application.id);
await step('application-unknown', () => hat.applications().getById('no-such-app'));
await step('applications', async () => (await hat.applications().getAllDefault()).parsedBody.length);
await step('applications-options', async () =>
  (await hat.applications().getAll({ take: '1', unknown: 'x' })).parsedBody.map((a) => a.application.id).sort());
await step('applications-ids', async () =>
  (await hat.applications().getAllDefault()).parsedBody.map((a) => a.application.id).sort());
const app = await step('application-full', async () => (await hat.applications().getById(NS)).parsedBody);
await step('application-status', () => hat.applications().getAppStatus(app));
await step('setup-url', () => hat.applications().getSetupUrl(app, 'https://r.example', 'https://f.example'));
await step('plug-status', async () => hat.applications().getAppStatus((await hat.applications().getById('spotify')).parsedBody));

// Data debits: hat-js only reads them; the debit is registered and enabled by plain requests.
const DD = 'hat-js-debit';
const owner = { 'Content-Type': 'application/json', 'X-Auth-Token': TOKEN };
const v26 = `${hat.auth().getHatDomain()}/api/v2.6`;
await step('debit-register', async () => {
  const answer = await fetch(`${v26}/data-debit/${DD}`, {
    method: 'POST',
    headers: owner,
    body: JSON.stringify({
      dataDebitKey: DD,
      purpose: 'hat-js scenario',
      start: new Date().toISOString(),
      period: 86400000,
      cancelAtPeriodEnd: false,
      requestClientName: 'hat-js',
      requestClientUrl: 'https://hat-js.example',
      requestClientLogoUrl: 'https://hat-js.example/logo.png',
      termsUrl: 'https://hat-js.example/terms',
      bundle: { name: 'hat-js-bundle', bundle: { texts: { endpoints: [{ endpoint: `${NS}/${EP}` }], orderBy: 'n', ordering: 'ascending' } } },
    }),
  });
  return answer.status;
});
await step('debit-values-disabled', () => hat.dataDebits().getDataDebitValues(DD));
await step('debit-enable', async () => (await fetch(`${v26}/data-debit/${DD}/enable`, { headers: owner })).status);
await step('debits', async () => (await hat.dataDebits().getAllDefault()).parsedBody.map((d) => [d.dataDebitKey, d.active]));
await step('debits-options', async () =>
  (await hat.dataDebits().getAll({ take: '0', unknown: 'x' })).parsedBody.map((d) => d.dataDebitKey));
await step('debit', async () => {
  const d = (await hat.dataDebits().getById(DD)).parsedBody;
  return { key: d.dataDebitKey, active: d.active, accepted: d.accepted, bundle: d.permissionsActive.bundle.name };
});
await step('debit-unknown', () => hat.dataDebits().getById('no-such-debit'));
await step('debit-values', async () => {
  const { bundle, conditions } = (await hat.dataDebits().getDataDebitValues(DD)).parsedBody;
  return { conditions: conditions ?? null, texts: bundle.texts.map((r) => [r.endpoint, r.data.text]) };
});
await step('debit-values-unknown', () => hat.dataDebits().getDataDebitValues('no-such-debit'));

const file = await step('upload', () =>
  hat.files().uploadFile({ name: 'hello.txt', source: 'hat-js', tags: ['greeting'] }, Buffer.from('hello from hat-js'), 'text/plain'));
await step('public', async () => (await hat.files().markFileAsPublic(file.fileId)).parsedBody.contentPublic);
await step('private', async () => (await hat.files().markFileAsPrivate(file.fileId)).parsedBody.contentPublic);
await step('update-file', () => hat.files().updateFileParameters(file.fileId, { name: 'renamed.txt', source: 'hat-js' }));
await step('update-file-with-id', async () => {
  const f = (await hat.files().updateFileParameters(file.fileId, { fileId: file.fileId, name: 'renamed.txt', source: 'ignored', tags: ['new'], title: 'T' })).parsedBody;
  return { fileId: f.fileId === file.fileId, name: f.name, source: f.source, tags: f.tags, title: f.title };
});
await step('update-file-unknown', () =>
  hat.files().updateFileParameters('no-such-file', { fileId: 'no-such-file', name: 'x', source: 'hat-js' }));
await step('content', async () => {
  const answer = await fetch(hat.files().generateFileContentUrl(file.fileId));
  return { status: answer.status, body: await answer.text() };
});
await step('search', async () => (await hat.files().searchFiles({ name: '', source: 'hat-js' })).parsedBody.map((f) => f.name));
await step('mark-unknown', () => hat.files().markFileAsPrivate('no-such-file'));
await step('delete-file', async () => (await hat.files().deleteFile(file.fileId)).parsedBody.fileId === file.fileId);

await step('delete-file-unknown', () => hat.files().deleteFile(file.fileId + '-gone'));

// Methods that only build URLs or read the client's state: no request.
await step('login-url', () => hat.auth().generateHatLoginUrl(hat.auth().getHatDomain(), NS, 'https://r.example', 'https://f.example'));
// hat-js adopts the X-Auth-Token of every answer (HttpService): the HAT's sliding refresh.
const claims = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
await step('token', () => {
  const { iat, ...kept } = claims(hat.auth().getToken());
  const { iat: iat0, ...kept0 } = claims(TOKEN);
  return { sameClaims: JSON.stringify(kept) === JSON.stringify(kept0), notEarlier: iat >= iat0 };
});
await step('baas-url', () => hat.registration().generateBaasSignupUrl(NS, 'alice', 'a@example.com', 'https://r.example'));
await step('daas-url', () => hat.registration().generateDaasSignupUrl(NS, 'https://r.example', ['a', 'b']));
await step('sign-out', () => {
  hat.auth().signOut();
  return hat.auth().getHatDomain();
});
await step('signed-out', () => hat.hatData());

console.log(JSON.stringify(results));
