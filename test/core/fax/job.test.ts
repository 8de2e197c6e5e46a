import { describe, it, expect } from '../../support/harness.js';
import {
  canTransitionFaxJob,
  createFaxJob,
  FAX_JOB_TRANSITIONS,
  FaxJobStates,
  type FaxJob,
  type FaxJobState,
  isFaxJobTransition,
  transitionFaxJob,
} from '../../../src/core/fax/job.js';
import { expectCentrexError } from './expect-error.js';

const at = (minute: number): Date => new Date(Date.UTC(2025, 2, 1, 9, minute));
const newJob = (maxAttempts = 3): FaxJob =>
  createFaxJob({
    id: 'j1',
    extensionId: 'fx1',
    to: '+49891234567',
    pages: 2,
    coverSheet: true,
    maxAttempts,
    at: at(0),
  });

describe('fax job state machine', () => {
  it('has a table entry for every state, and the final states lead nowhere', () => {
    expect(Object.keys(FAX_JOB_TRANSITIONS).sort()).to.deep.equal(Object.values(FaxJobStates).sort());
    expect(FAX_JOB_TRANSITIONS.sent).to.deep.equal([]);
    expect(FAX_JOB_TRANSITIONS.failed).to.deep.equal([]);
  });

  it('creates jobs queued, at revision 0, with no attempt yet', () => {
    expect(newJob()).to.deep.equal({
      id: 'j1',
      direction: 'outgoing',
      extensionId: 'fx1',
      to: '+49891234567',
      state: 'queued',
      attempt: 0,
      maxAttempts: 3,
      pages: 2,
      coverSheet: true,
      createdAt: '2025-03-01T09:00:00.000Z',
      updatedAt: '2025-03-01T09:00:00.000Z',
      revision: 0,
    });
    expectCentrexError(() => createFaxJob({ ...newJob(), at: at(0), pages: 0 }), 'invalid-argument');
    expectCentrexError(() => createFaxJob({ ...newJob(), at: at(0), to: '' }), 'invalid-argument');
  });

  it('goes queued → sending → sent, counting the attempt and the revision', () => {
    const job = newJob();
    const sending = transitionFaxJob(job, 'sending', { at: at(1) });
    const sent = transitionFaxJob(sending, 'sent', { at: at(2) });
    expect([job.state, sending.state, sent.state]).to.deep.equal(['queued', 'sending', 'sent']);
    expect([sending.attempt, sent.attempt]).to.deep.equal([1, 1]);
    expect([job.revision, sending.revision, sent.revision]).to.deep.equal([0, 1, 2]);
    expect(sent.updatedAt).to.equal('2025-03-01T09:02:00.000Z');
    expect(sent.createdAt).to.equal(job.createdAt);
    // Pure: the input jobs are unchanged.
    expect(job.state).to.equal('queued');
  });

  it('retries while attempts are left, keeping why the last attempt failed, then fails', () => {
    let job = newJob(2);
    job = transitionFaxJob(job, 'sending', { at: at(1) });
    job = transitionFaxJob(job, 'queued', { at: at(2), failure: { reason: 'busy' } });
    expect(job).to.include({ state: 'queued', attempt: 1 });
    expect(job.failure).to.deep.equal({ reason: 'busy' });
    job = transitionFaxJob(job, 'sending', { at: at(3) });
    expect(job).to.include({ state: 'sending', attempt: 2 });
    expect(job.failure).to.deep.equal({ reason: 'busy' });
    expect(canTransitionFaxJob(job, 'queued')).to.equal(false);
    const error = expectCentrexError(
      () => transitionFaxJob(job, 'queued', { at: at(4), failure: { reason: 'busy' } }),
      'invalid-transition',
    );
    expect(error.message).to.contain('attempts are used');
    const failed = transitionFaxJob(job, 'failed', {
      at: at(4),
      failure: { reason: 'no-answer', message: 'no carrier' },
    });
    expect(failed.failure).to.deep.equal({ reason: 'no-answer', message: 'no carrier' });
  });

  it('clears an earlier failure when the fax gets through', () => {
    let job = transitionFaxJob(newJob(), 'sending', { at: at(1) });
    job = transitionFaxJob(job, 'queued', { at: at(2), failure: { reason: 'busy' } });
    job = transitionFaxJob(transitionFaxJob(job, 'sending', { at: at(3) }), 'sent', { at: at(4) });
    expect(job.failure).to.equal(undefined);
    expect('failure' in job).to.equal(false);
  });

  it('throws invalid-transition for every move the table does not list, naming the job', () => {
    const states = Object.values(FaxJobStates);
    const jobIn = (state: FaxJobState): FaxJob => ({ ...newJob(), state, attempt: state === 'queued' ? 0 : 1 });
    let refused = 0;
    for (const from of states) {
      for (const to of states) {
        if (isFaxJobTransition(from, to)) continue;
        const error = expectCentrexError(
          () => transitionFaxJob(jobIn(from), to, { at: at(5), failure: { reason: 'error' } }),
          'invalid-transition',
        );
        expect(error.details).to.include({ from, to, subject: 'fax job j1' });
        expect(error.message).to.contain('j1');
        refused++;
      }
    }
    // 16 pairs, 5 allowed.
    expect(refused).to.equal(11);
  });

  it('needs a reason to fail and a valid date', () => {
    expectCentrexError(() => transitionFaxJob(newJob(), 'failed', { at: at(1) }), 'invalid-argument');
    expectCentrexError(() => transitionFaxJob(newJob(), 'sending', { at: new Date(Number.NaN) }), 'invalid-argument');
  });
});
