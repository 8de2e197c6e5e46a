/**
 * Click-to-dial with a chosen device ("Anrufen mit"): `POST /api/v1/calls { device, to }`.
 * @packageDocumentation
 */
import { checkDestination } from '../../store/index.js';
import { CallControlError, type AuthedContext, type Route } from '../context.js';
import { ApiError, invalid } from '../errors.js';
import { expectObject, requiredString } from '../input.js';

/** The routes of this module. */
export const callRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/calls',
    access: 'user',
    async handle(ctx: AuthedContext) {
      const { deps, auth } = ctx;
      const body = expectObject(ctx.body, ['device', 'to']);
      const deviceId = requiredString(body, 'device');
      const rawTo = requiredString(body, 'to');
      const device = deps.store.getDevice(auth.user.id, deviceId);
      if (!device) throw new ApiError(404, 'not-found', 'The device is not one of yours.', { field: 'device' });
      const destination = checkDestination(rawTo, auth.tenant);
      if (!destination.allowed) {
        if (destination.reason === 'invalid') throw invalid('to', destination.message);
        throw new ApiError(403, 'destination-not-allowed', destination.message, { field: 'to' });
      }
      const to = destination.kind === 'extension' ? destination.extension : destination.e164;
      if (destination.kind === 'extension' && to === auth.user.extension) throw invalid('to', 'You cannot call your own extension.');
      // The device is rung first: an external device's number must pass the policy as it stands now.
      if (device.number !== null) {
        const ring = checkDestination(device.number, auth.tenant);
        if (!ring.allowed) throw new ApiError(403, 'destination-not-allowed', ring.message, { field: 'device' });
      }
      if (!deps.callControl) {
        throw new ApiError(503, 'not-available', 'Click-to-dial is not available on this PBX right now.');
      }
      try {
        const { callId } = await deps.callControl.clickToDial({ tenantId: auth.tenant.id, userId: auth.user.id, deviceId: device.id, to });
        deps.log('info', 'click-to-dial', { userId: auth.user.id, deviceId: device.id, callId });
        return { status: 202, body: { callId, device: device.id, to } };
      } catch (error) {
        if (error instanceof CallControlError) {
          if (error.reason === 'device-unavailable') throw new ApiError(409, 'device-unavailable', error.message, { field: 'device' });
          if (error.reason === 'call-limit') throw new ApiError(429, 'call-limit', error.message);
          throw new ApiError(502, 'call-failed', error.message);
        }
        deps.log('error', 'click-to-dial failed', { error: String(error) });
        throw new ApiError(502, 'call-failed', 'The call could not be started.');
      }
    },
  },
];
