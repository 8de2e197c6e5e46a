// The bookkeeping of prepared calls with fake handlers and a fake clock: at most one prepared offer, handed out once,
// replaced when too old, closed when discarded or when making it failed; ringing calls' handlers handed to their own
// call only. Real WebRTC is in prepared-offer.browser.test.ts.
import { describe, it, expect } from '../../support/harness.js';
import type { Invitation } from 'sip.js';
import { OfferPreparer, RingingOffers } from '../../../src/core/phone/prepared-offer.js';
import { silentLogger } from '../../../src/core/phone/logger.js';
import type { PhoneSessionDescriptionHandler } from '../../../src/core/phone/session-description-handler.js';
import { FakeClock } from './fakes.js';

/** Stands in for a handler: its offer is ready when the test says so. */
class FakeHandler {
  closed = false;
  hasPreparedOffer = true;
  #settle: { resolve: () => void; reject: (error: Error) => void } | undefined;

  prepareOffer(): Promise<void> {
    return new Promise((resolve, reject) => (this.#settle = { resolve, reject }));
  }

  finish(): Promise<void> {
    this.#settle?.resolve();
    return Promise.resolve();
  }

  fail(): Promise<void> {
    this.#settle?.reject(new Error('WebRTC broke'));
    return Promise.resolve();
  }

  close(): void {
    this.closed = true;
  }
}

function preparer(maxAgeMs = 60_000) {
  const clock = new FakeClock();
  const made: FakeHandler[] = [];
  const offers = new OfferPreparer(
    () => {
      const handler = new FakeHandler();
      made.push(handler);
      return handler as unknown as PhoneSessionDescriptionHandler;
    },
    clock,
    maxAgeMs,
    silentLogger,
  );
  return { clock, made, offers };
}

// Lets the preparer's promise callbacks run.
const settled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('prepared offers: bookkeeping', () => {
  it('makes one offer, is ready when it is, and hands it out once', async () => {
    const { made, offers } = preparer();
    offers.prepare();
    offers.prepare();
    expect(made.length).to.equal(1);
    expect(offers.ready).to.equal(false);
    await made[0]!.finish();
    await settled();
    expect(offers.ready).to.equal(true);
    expect(offers.take()).to.equal(made[0]);
    expect(offers.ready).to.equal(false);
    expect(offers.take()).to.equal(undefined);
  });

  it('hands out an offer that is still being made (the call waits for it)', () => {
    const { made, offers } = preparer();
    offers.prepare();
    expect(offers.take()).to.equal(made[0]);
    expect(made[0]!.closed).to.equal(false);
  });

  it('replaces an offer when it gets too old, and never hands out a stale one', async () => {
    const { clock, made, offers } = preparer(60_000);
    offers.prepare();
    await made[0]!.finish();
    clock.advance(60_000);
    expect(made[0]!.closed).to.equal(true);
    expect(made.length).to.equal(2);
    await made[1]!.finish();
    await settled();
    expect(offers.ready).to.equal(true);
    expect(offers.take()).to.equal(made[1]);
    // Nothing left, so no timer keeps making offers.
    expect(clock.pending()).to.deep.equal([]);
  });

  it('closes a handler whose offer was already used up instead of handing it out', () => {
    const { made, offers } = preparer();
    offers.prepare();
    made[0]!.hasPreparedOffer = false;
    expect(offers.take()).to.equal(undefined);
    expect(made[0]!.closed).to.equal(true);
  });

  it('closes a handler that failed to make its offer, and can try again later', async () => {
    const { made, offers } = preparer();
    offers.prepare();
    await made[0]!.fail();
    await settled();
    expect(made[0]!.closed).to.equal(true);
    expect(offers.ready).to.equal(false);
    expect(offers.take()).to.equal(undefined);
    offers.prepare();
    expect(made.length).to.equal(2);
  });

  it('closes the offer and stops its timer when discarded', async () => {
    const { clock, made, offers } = preparer();
    offers.prepare();
    await made[0]!.finish();
    offers.discard();
    expect(made[0]!.closed).to.equal(true);
    expect(offers.ready).to.equal(false);
    expect(clock.pending()).to.deep.equal([]);
  });

  it('makes nothing where there is no WebRTC', () => {
    const clock = new FakeClock();
    const offers = new OfferPreparer(
      () => {
        throw new Error('no RTCPeerConnection');
      },
      clock,
      60_000,
      silentLogger,
    );
    offers.prepare();
    expect(offers.ready).to.equal(false);
    expect(offers.take()).to.equal(undefined);
    expect(clock.pending()).to.deep.equal([]);
  });
});

/** Stands in for a handler of a ringing call. */
class FakeRingingHandler {
  applied: string[] = [];
  closed = false;

  applyOfferEarly(sdp: string): void {
    this.applied.push(sdp);
  }

  close(): void {
    this.closed = true;
  }
}

function invitation(body: string | undefined, contentType = 'application/sdp'): Invitation {
  return { request: { body, getHeader: (name: string) => (name === 'content-type' && body ? contentType : undefined) } } as unknown as Invitation;
}

describe('prepared calls: ringing offers', () => {
  function ringing() {
    const made: FakeRingingHandler[] = [];
    const offers = new RingingOffers(() => {
      const handler = new FakeRingingHandler();
      made.push(handler);
      return handler as unknown as PhoneSessionDescriptionHandler;
    }, silentLogger);
    return { made, offers };
  }

  it("applies a ringing call's SDP offer and hands the handler to that call only, once", () => {
    const { made, offers } = ringing();
    const call = invitation('v=0 offer');
    offers.apply(call);
    expect(made.map((h) => h.applied)).to.deep.equal([['v=0 offer']]);
    expect(offers.take(invitation('v=0 other'))).to.equal(undefined);
    expect(offers.take(call)).to.equal(made[0]);
    expect(offers.take(call)).to.equal(undefined);
  });

  it('leaves INVITEs without an SDP offer alone', () => {
    const { made, offers } = ringing();
    offers.apply(invitation(undefined));
    offers.apply(invitation('--boundary', 'multipart/mixed; boundary=boundary'));
    expect(made.length).to.equal(0);
  });

  it('closes the handler of a call that ended unanswered', () => {
    const { made, offers } = ringing();
    const call = invitation('v=0 offer');
    offers.apply(call);
    offers.release(call);
    expect(made[0]!.closed).to.equal(true);
    expect(offers.take(call)).to.equal(undefined);
  });
});
