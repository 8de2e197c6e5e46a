/**
 * A short summary of a call's WebRTC statistics: packets and bytes per direction and kind, what a person would
 * notice as "audio is flowing".
 *
 * @packageDocumentation
 */

/** Counters of one direction of one kind of media. */
export interface FlowCounters {
  /** RTP packets (received for inbound, sent for outbound). */
  readonly packets: number;
  /** Payload bytes. */
  readonly bytes: number;
}

/** Media counters of a call, summed over all streams of a kind. */
export interface MediaStatsSummary {
  /** Audio received from the far end. */
  readonly audioIn: FlowCounters;
  /** Audio sent to the far end. */
  readonly audioOut: FlowCounters;
  /** Video received. */
  readonly videoIn: FlowCounters;
  /** Video sent. */
  readonly videoOut: FlowCounters;
  /** Frames decoded from received video (0 when none). */
  readonly videoFramesDecoded: number;
  /** Total audio energy received (grows while the far end is audible; RFC-less, WebRTC stats definition). */
  readonly audioEnergyIn: number;
}

/** Sums an `RTCStatsReport` into {@link MediaStatsSummary}. */
export function summarizeStats(report: RTCStatsReport): MediaStatsSummary {
  const zero = (): { packets: number; bytes: number } => ({ packets: 0, bytes: 0 });
  const audioIn = zero();
  const audioOut = zero();
  const videoIn = zero();
  const videoOut = zero();
  let videoFramesDecoded = 0;
  let audioEnergyIn = 0;
  report.forEach((entry: RTCStats & Record<string, unknown>) => {
    const kind = entry['kind'] ?? entry['mediaType'];
    if (entry.type === 'inbound-rtp') {
      const target = kind === 'video' ? videoIn : audioIn;
      target.packets += Number(entry['packetsReceived'] ?? 0);
      target.bytes += Number(entry['bytesReceived'] ?? 0);
      if (kind === 'video') videoFramesDecoded += Number(entry['framesDecoded'] ?? 0);
      else audioEnergyIn += Number(entry['totalAudioEnergy'] ?? 0);
    } else if (entry.type === 'outbound-rtp') {
      const target = kind === 'video' ? videoOut : audioOut;
      target.packets += Number(entry['packetsSent'] ?? 0);
      target.bytes += Number(entry['bytesSent'] ?? 0);
    }
  });
  return { audioIn, audioOut, videoIn, videoOut, videoFramesDecoded, audioEnergyIn };
}
