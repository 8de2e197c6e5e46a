// Interop with SIPp over UDP: a SIPp UAS registers, a SIPp UAC places calls to it through the PBX with proxy
// digest authentication (MD5 offered first: SIPp 3.6 answers only the first challenge, only with MD5), ACK and BYE
// follow the recorded route. Skipped with a message when sipp is not installed.
import { after, before } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import { skipTest } from '../sip/support/skip.js';
import { COMPANY, passwordOf, startPbx, type TestPbx } from './support/pbx.js';
import { authField, commonArgs, freeUdpPort, injectionFile, scenario, sippAvailable, sippCounts, SIPP_MISSING, startSipp } from './support/sipp.js';

describe('interop: SIPp calls through the PBX', () => {
  let pbx: TestPbx | undefined;
  before(async () => {
    if (sippAvailable) pbx = await startPbx({ security: { digestAlgorithms: ['MD5', 'SHA-256'] } });
  });
  after(async () => {
    await pbx?.close();
  });

  it('places 20 authenticated calls from a SIPp UAC to a registered SIPp UAS over UDP', async (context?: unknown) => {
    if (!sippAvailable || !pbx) return skipTest(context, SIPP_MISSING);
    const target = `127.0.0.1:${pbx.udp.port}`;
    const uasPort = await freeUdpPort();
    const registered = await startSipp([
      '-sf', scenario('register'), '-inf', injectionFile([['11', authField('11', passwordOf('11')), COMPANY]]), '-m', '1', ...commonArgs(uasPort, 20), target,
    ]).done;
    expect(registered.code, registered.output.slice(-1500)).to.equal(0);
    expect(pbx.sip.registrations().some((binding) => binding.owner.userId === pbx?.users['11']?.id && binding.source.port === uasPort)).to.equal(true);

    const uas = startSipp(['-sf', scenario('uas-answer'), '-m', '20', ...commonArgs(uasPort, 60)]);
    const uac = await startSipp([
      '-sf', scenario('uac-call'), '-inf', injectionFile([['10', authField('10', passwordOf('10')), '11', COMPANY]]),
      '-m', '20', '-r', '10', ...commonArgs(await freeUdpPort(), 60), target,
    ]).done;
    expect(uac.code, uac.output.slice(-2000)).to.equal(0);
    expect(sippCounts(uac.output)).to.deep.equal({ successful: 20, failed: 0 });
    const answered = await uas.done;
    expect(answered.code, answered.output.slice(-2000)).to.equal(0);
    expect(sippCounts(answered.output)).to.deep.equal({ successful: 20, failed: 0 });
    const history = pbx.store.listHistory(pbx.users['10']!.id);
    expect(history.filter((entry) => entry.result === 'answered' && entry.direction === 'out')).to.have.length(20);
    expect(pbx.lines.dialogsOf(pbx.users['10']!.id)).to.deep.equal([]);
    expect(pbx.router.activeCalls).to.equal(0);
  });
});
