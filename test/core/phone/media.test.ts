import { describe, it, expect } from '../../support/harness.js';
import { isCentrexError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/phone/logger.js';
import { MediaController, mediaError } from '../../../src/core/phone/media.js';

/** A fake `navigator.mediaDevices` that records constraints and fails with a chosen DOMException name. */
function fakeDevices(failWith?: string) {
  const asked: MediaStreamConstraints[] = [];
  const devices = {
    asked,
    addEventListener: () => undefined,
    enumerateDevices: () =>
      Promise.resolve([
        { kind: 'audioinput', deviceId: 'mic-1', label: 'Headset', groupId: 'g' },
        { kind: 'audiooutput', deviceId: 'spk-1', label: 'Speaker', groupId: 'g' },
        { kind: 'videoinput', deviceId: 'cam-1', label: 'Camera', groupId: 'h' },
      ] as MediaDeviceInfo[]),
    getUserMedia: (constraints: MediaStreamConstraints) => {
      asked.push(constraints);
      return failWith ? Promise.reject(Object.assign(new Error(failWith), { name: failWith })) : Promise.resolve({} as MediaStream);
    },
  };
  return devices;
}

describe('media devices', () => {
  it('lists devices by role and opens the chosen ones', async () => {
    const devices = fakeDevices();
    const media = new MediaController({ mediaDevices: devices as unknown as MediaDevices, createAudioElement: undefined, AudioContext: undefined }, silentLogger);
    const list = await media.listDevices();
    expect([list.microphones.length, list.speakers.length, list.cameras.length]).to.deep.equal([1, 1, 1]);
    const changes: string[] = [];
    media.on('selectionchange', ({ selection }) => changes.push(selection.microphone ?? 'default'));
    await media.select('microphone', 'mic-1');
    await media.select('camera', 'cam-1');
    await media.getUserMedia({ audio: true, video: true });
    expect(devices.asked[0]).to.deep.equal({ audio: { deviceId: { exact: 'mic-1' } }, video: { deviceId: { exact: 'cam-1' } } });
    expect(changes).to.deep.equal(['mic-1', 'mic-1']);
  });

  it('turns browser refusals into errors that say what to do', async () => {
    for (const [name, code] of [
      ['NotAllowedError', 'microphone-denied'],
      ['NotFoundError', 'no-device'],
      ['OverconstrainedError', 'no-device'],
      ['NotReadableError', 'no-device'],
    ] as const) {
      const media = new MediaController({ mediaDevices: fakeDevices(name) as unknown as MediaDevices, createAudioElement: undefined, AudioContext: undefined }, silentLogger);
      const error = await media.getUserMedia({ audio: true, video: false }).catch((e: unknown) => e);
      expect(isCentrexError(error, code), name).to.equal(true);
    }
    expect(mediaError({ name: 'NotAllowedError' }, 'camera').code).to.equal('camera-denied');
    expect(mediaError({ name: 'NotAllowedError' }, 'microphone').message).to.match(/Allow the microphone/);
  });

  it('says that calls need a browser where there are no media devices', async () => {
    const media = new MediaController({ mediaDevices: undefined, createAudioElement: undefined, AudioContext: undefined }, silentLogger);
    const error = await media.getUserMedia({ audio: true, video: false }).catch((e: unknown) => e);
    expect(isCentrexError(error, 'not-supported')).to.equal(true);
    const sink = media.playRemote({} as MediaStream);
    expect(sink.element).to.equal(undefined);
  });
});
