import { describe, it, expect } from '../../support/harness.js';
import { isCentrexError } from '../../../src/core/errors.js';
import { Emitter } from '../../../src/core/phone/emitter.js';

interface Events {
  ping: { n: number };
}

describe('typed emitter', () => {
  it('delivers to listeners in order, once() only once, and unsubscribes', () => {
    const emitter = new Emitter<Events>();
    const seen: string[] = [];
    const off = emitter.on('ping', ({ n }) => seen.push(`a${n}`));
    emitter.once('ping', ({ n }) => seen.push(`b${n}`));
    emitter.emit('ping', { n: 1 });
    emitter.emit('ping', { n: 2 });
    off();
    emitter.emit('ping', { n: 3 });
    expect(seen).to.deep.equal(['a1', 'b1', 'a2']);
  });

  it('keeps going when a listener throws, and reports the error', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<Events>((error) => errors.push(error));
    const seen: number[] = [];
    emitter.on('ping', () => {
      throw new Error('boom');
    });
    emitter.on('ping', ({ n }) => seen.push(n));
    emitter.emit('ping', { n: 7 });
    expect(seen).to.deep.equal([7]);
    expect(errors).to.have.length(1);
  });

  it('next() resolves with a matching event and rejects with timeout otherwise', async () => {
    const emitter = new Emitter<Events>();
    const next = emitter.next('ping', { predicate: (e) => e.n > 1, timeout: 1000 });
    emitter.emit('ping', { n: 1 });
    emitter.emit('ping', { n: 2 });
    expect(await next).to.deep.equal({ n: 2 });
    const error = await emitter.next('ping', { timeout: 5 }).catch((e: unknown) => e);
    expect(isCentrexError(error, 'timeout')).to.equal(true);
  });
});
