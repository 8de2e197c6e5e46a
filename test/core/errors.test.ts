import { describe, it, expect } from '../support/harness.js';
import { CentrexError, isCentrexError } from '../../src/core/errors.js';

describe('CentrexError', () => {
  it('carries a stable code, a message and details', () => {
    const error = new CentrexError('invalid-star-code', 'Dial *10 followed by a profile number 0-9.', {
      details: { dialString: '*10' },
    });
    expect(error).to.be.instanceOf(Error);
    expect(error.name).to.equal('CentrexError');
    expect(error.code).to.equal('invalid-star-code');
    expect(error.details).to.deep.equal({ dialString: '*10' });
    expect(isCentrexError(error)).to.equal(true);
    expect(isCentrexError(error, 'invalid-star-code')).to.equal(true);
    expect(isCentrexError(error, 'unknown-profile')).to.equal(false);
    expect(isCentrexError(new Error('x'))).to.equal(false);
  });
});
