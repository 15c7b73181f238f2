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

await step('application', async () => (await hat.applications().getById(NS)).parsedBody.application.id);
await step('application-unknown', () => hat.applications().getById('no-such-app'));
await step('applications', async () => (await hat.applications().getAllDefault()).parsedBody.length);

const file = await step('upload', () =>
  hat.files().uploadFile({ name: 'hello.txt', source: 'hat-js', tags: ['greeting'] }, Buffer.from('hello from hat-js'), 'text/plain'));
await step('public', async () => (await hat.files().markFileAsPublic(file.fileId)).parsedBody.contentPublic);
await step('content', async () => {
  const answer = await fetch(hat.files().generateFileContentUrl(file.fileId));
  return { status: answer.status, body: await answer.text() };
});
await step('search', async () => (await hat.files().searchFiles({ name: '', source: 'hat-js' })).parsedBody.map((f) => f.name));
await step('delete-file', async () => (await hat.files().deleteFile(file.fileId)).parsedBody.fileId === file.fileId);

console.log(JSON.stringify(results));
