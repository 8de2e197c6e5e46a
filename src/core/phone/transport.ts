/**
 * SIP over WebSocket (RFC 7118) for sip.js, with the keep-alive that sip.js leaves out: a CRLF ping (RFC 5626
 * section 4.4.1) at a jittered interval, and a deadline for the pong (or any other traffic). When the deadline
 * passes the connection is declared dead at once, without waiting for the operating system to notice, and the
 * phone reconnects. With the defaults (ping every 7.2–9 s, 5 s to answer) a silent network is detected within 14 s.
 *
 * The WebSocket comes from a factory, so Node (with the `ws` package) and tests (with a fake) work the same way as
 * browsers.
 *
 * @packageDocumentation
 */
import { EmitterImpl, TransportState, type Core, type Emitter as SipEmitter, type Transport as SipTransport } from 'sip.js';
import type { Clock, TimerHandle } from './clock.js';
import type { Logger } from './logger.js';

/** The part of the WebSocket API the transport uses; the browser's `WebSocket` and the `ws` package both fit. */
export interface WebSocketLike {
  /** Sends one text frame. */
  send(data: string): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** Subscribes to `open`, `close`, `error` and `message`. */
  addEventListener(type: 'open' | 'close' | 'error', listener: (event: { code?: number; reason?: string }) => void): void;
  /** Subscribes to incoming frames. */
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** Opens a WebSocket with the `sip` subprotocol. */
export type WebSocketFactory = (url: string, protocol: 'sip') => WebSocketLike;

/** Connection keep-alive. Durations in milliseconds. */
export interface KeepAliveOptions {
  /** Upper bound of the ping interval; each ping is sent after 80–100 % of it. 0 disables pings. */
  readonly interval: number;
  /**
   * How long to wait for the pong (or any other message) after a ping before the connection counts as dead.
   * 0 sends pings without expecting answers (for servers that do not answer CRLF pings).
   */
  readonly timeout: number;
}

/** Ping every 7.2–9 s, expect an answer within 5 s: a silent network is noticed within 14 s. */
export const DEFAULT_KEEP_ALIVE: KeepAliveOptions = Object.freeze({ interval: 9_000, timeout: 5_000 });

/** Configuration of a {@link WebSocketTransport}. */
export interface WebSocketTransportConfig {
  /** `wss://…` (or `ws://` on a trusted network such as a test loopback). */
  readonly server: string;
  /** Opens the socket. */
  readonly createWebSocket: WebSocketFactory;
  /** Milliseconds to wait for the WebSocket to open. */
  readonly connectTimeout: number;
  /** Keep-alive policy. */
  readonly keepAlive: KeepAliveOptions;
  /** Timers and randomness. */
  readonly clock: Clock;
  /** Diagnostics. */
  readonly logger: Logger;
  /** Log every SIP message at debug level. */
  readonly traceSip: boolean;
}

/** The opener used when none is configured: the global `WebSocket` (browsers, Node 22+). */
export function globalWebSocketFactory(): WebSocketFactory | undefined {
  const ctor = (globalThis as { WebSocket?: new (url: string, protocol: string) => WebSocketLike }).WebSocket;
  return ctor ? (url, protocol) => new ctor(url, protocol) : undefined;
}

/**
 * The sip.js transport of the phone. Implements sip.js's `Transport` contract (states Connecting → Connected →
 * Disconnecting → Disconnected, `onConnect` / `onDisconnect(error)` / `onMessage`).
 * @internal
 */
export class WebSocketTransport implements SipTransport {
  onConnect: (() => void) | undefined = undefined;
  onDisconnect: ((error?: Error) => void) | undefined = undefined;
  onMessage: ((message: string) => void) | undefined = undefined;

  readonly #config: WebSocketTransportConfig;
  readonly #stateChange = new EmitterImpl<TransportState>();
  #state: TransportState = TransportState.Disconnected;
  #ws: WebSocketLike | undefined;
  #connecting: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } | undefined;
  #connectTimer: TimerHandle | undefined;
  #pingTimer: TimerHandle | undefined;
  #pongTimer: TimerHandle | undefined;
  #keepAlive: KeepAliveOptions;
  #lastReceived = 0;

  /**
   * @param _sipLogger - sip.js passes its logger; the phone's own logger in `config` is used instead
   * @param config - see {@link WebSocketTransportConfig}
   */
  constructor(_sipLogger: Core.Logger, config: WebSocketTransportConfig) {
    this.#config = config;
    this.#keepAlive = config.keepAlive;
  }

  /** `WS` or `WSS`, as the Via header needs it. */
  get protocol(): string {
    return this.#config.server.toLowerCase().startsWith('wss:') ? 'WSS' : 'WS';
  }

  /** The server URL. */
  get server(): string {
    return this.#config.server;
  }

  get state(): TransportState {
    return this.#state;
  }

  get stateChange(): SipEmitter<TransportState> {
    return this.#stateChange;
  }

  /** When the last message (or pong) arrived, per the clock; 0 before the first. */
  get lastReceived(): number {
    return this.#lastReceived;
  }

  /** The keep-alive in effect (the PBX may shorten it with `Flow-Timer`). */
  get keepAlive(): KeepAliveOptions {
    return this.#keepAlive;
  }

  /**
   * Changes the keep-alive policy, e.g. to honour a `Flow-Timer` from the registrar; restarts the ping timer.
   */
  setKeepAlive(keepAlive: KeepAliveOptions): void {
    this.#keepAlive = keepAlive;
    if (this.#state === TransportState.Connected) this.#schedulePing();
  }

  isConnected(): boolean {
    return this.#state === TransportState.Connected;
  }

  connect(): Promise<void> {
    if (this.#state === TransportState.Connected) return Promise.resolve();
    if (this.#state === TransportState.Connecting && this.#connecting) return this.#connecting.promise;
    this.#setState(TransportState.Connecting);
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#connecting = { promise, resolve, reject };
    let ws: WebSocketLike;
    try {
      ws = this.#config.createWebSocket(this.#config.server, 'sip');
    } catch (error) {
      this.#failConnect(error instanceof Error ? error : new Error(String(error)));
      return promise;
    }
    this.#ws = ws;
    // Binary frames are allowed by RFC 7118; ask for ArrayBuffers where the API has the switch.
    if ('binaryType' in ws) (ws as { binaryType: string }).binaryType = 'arraybuffer';
    ws.addEventListener('open', () => this.#onOpen(ws));
    ws.addEventListener('close', (event) => this.#onClose(ws, event.code));
    ws.addEventListener('error', () => this.#onError(ws));
    ws.addEventListener('message', (event) => this.#onFrame(ws, event.data));
    this.#connectTimer = this.#config.clock.setTimeout(() => {
      if (this.#ws !== ws) return;
      this.#config.logger.warn(`WebSocket to ${this.#config.server} did not open within ${this.#config.connectTimeout} ms`);
      this.#abandon(ws);
      this.#failConnect(new Error(`connect timeout after ${this.#config.connectTimeout} ms`));
    }, this.#config.connectTimeout);
    return promise;
  }

  disconnect(): Promise<void> {
    const ws = this.#ws;
    if (this.#state === TransportState.Disconnected || !ws) {
      if (this.#state !== TransportState.Disconnected) this.#setState(TransportState.Disconnected);
      return Promise.resolve();
    }
    const wasConnected = this.#state === TransportState.Connected;
    if (this.#state === TransportState.Connecting) this.#failConnect(new Error('disconnect requested while connecting'));
    if (!this.#is(TransportState.Disconnected)) this.#setState(TransportState.Disconnecting);
    // Do not wait for the closing handshake: on a dead network it never completes.
    this.#abandon(ws);
    this.#stopKeepAlive();
    if (!this.#is(TransportState.Disconnected)) this.#setState(TransportState.Disconnected);
    if (wasConnected) this.onDisconnect?.();
    return Promise.resolve();
  }

  dispose(): Promise<void> {
    return this.disconnect();
  }

  send(message: string): Promise<void> {
    const ws = this.#ws;
    if (this.#state !== TransportState.Connected || !ws) return Promise.reject(new Error('WebSocket not connected'));
    if (this.#config.traceSip) this.#config.logger.debug(`SIP ⇢\n${message}`);
    try {
      ws.send(message);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return Promise.resolve();
  }

  /**
   * Declares the connection dead now (used when the network changes) and reports a disconnect with an error, so
   * the phone reconnects.
   */
  drop(reason: string): void {
    const ws = this.#ws;
    if (!ws || this.#state !== TransportState.Connected) return;
    this.#config.logger.warn(`Dropping the WebSocket: ${reason}`);
    this.#lostConnection(ws, new Error(reason));
  }

  #onOpen(ws: WebSocketLike): void {
    if (this.#ws !== ws || this.#state !== TransportState.Connecting) return;
    this.#clearConnectTimer();
    this.#lastReceived = this.#config.clock.now();
    this.#setState(TransportState.Connected);
    const connecting = this.#connecting;
    this.#connecting = undefined;
    this.#schedulePing();
    this.onConnect?.();
    connecting?.resolve();
  }

  #onClose(ws: WebSocketLike, code: number | undefined): void {
    if (this.#ws !== ws) return;
    if (this.#state === TransportState.Connecting) {
      this.#ws = undefined;
      this.#failConnect(new Error(`WebSocket closed before opening (code ${code ?? 'none'})`));
      return;
    }
    this.#lostConnection(ws, new Error(`WebSocket closed by the network or server (code ${code ?? 'none'})`));
  }

  #onError(ws: WebSocketLike): void {
    if (this.#ws !== ws) return;
    // A close event follows every error event; the state change happens there. Only log here.
    this.#config.logger.debug(`WebSocket error on ${this.#config.server}`);
  }

  #onFrame(ws: WebSocketLike, data: unknown): void {
    if (this.#ws !== ws) return;
    this.#lastReceived = this.#config.clock.now();
    this.#clearPongTimer();
    let text: string;
    if (typeof data === 'string') text = data;
    else if (data instanceof ArrayBuffer) text = new TextDecoder().decode(new Uint8Array(data));
    else if (ArrayBuffer.isView(data)) text = new TextDecoder().decode(data);
    else return;
    // A lone CRLF is the pong (or the server's own ping) of RFC 5626; nothing for the SIP stack.
    if (/^(\r\n)+$/.test(text)) return;
    if (this.#state !== TransportState.Connected) return;
    if (this.#config.traceSip) this.#config.logger.debug(`SIP ⇠\n${text}`);
    this.onMessage?.(text);
  }

  #lostConnection(ws: WebSocketLike, error: Error): void {
    this.#abandon(ws);
    this.#stopKeepAlive();
    if (this.#state === TransportState.Disconnected) return;
    this.#setState(TransportState.Disconnected);
    this.onDisconnect?.(error);
  }

  #failConnect(error: Error): void {
    this.#clearConnectTimer();
    const connecting = this.#connecting;
    this.#connecting = undefined;
    if (this.#state !== TransportState.Disconnected) this.#setState(TransportState.Disconnected);
    connecting?.reject(error);
  }

  /** Forgets a socket so that its late events are ignored, and closes it without waiting. */
  #abandon(ws: WebSocketLike): void {
    if (this.#ws === ws) this.#ws = undefined;
    try {
      ws.close(1000);
    } catch {
      // Closing a socket that never opened may throw in some implementations; it is gone either way.
    }
  }

  #schedulePing(): void {
    this.#clearPingTimer();
    const { interval } = this.#keepAlive;
    if (interval <= 0) return;
    const delay = interval * (0.8 + 0.2 * this.#config.clock.random());
    this.#pingTimer = this.#config.clock.setTimeout(() => this.#ping(), delay);
  }

  #ping(): void {
    const ws = this.#ws;
    if (!ws || this.#state !== TransportState.Connected) return;
    try {
      ws.send('\r\n\r\n');
    } catch (error) {
      this.#lostConnection(ws, error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const { timeout } = this.#keepAlive;
    if (timeout > 0 && this.#pongTimer === undefined) {
      const sentAt = this.#config.clock.now();
      this.#pongTimer = this.#config.clock.setTimeout(() => {
        this.#pongTimer = undefined;
        if (this.#ws !== ws || this.#lastReceived >= sentAt) return;
        this.#config.logger.warn(`No answer to the keep-alive within ${timeout} ms: the connection is dead`);
        this.#lostConnection(ws, new Error(`keep-alive: no answer within ${timeout} ms`));
      }, timeout);
    }
    this.#schedulePing();
  }

  #stopKeepAlive(): void {
    this.#clearPingTimer();
    this.#clearPongTimer();
  }

  #clearPingTimer(): void {
    if (this.#pingTimer !== undefined) this.#config.clock.clearTimeout(this.#pingTimer);
    this.#pingTimer = undefined;
  }

  #clearPongTimer(): void {
    if (this.#pongTimer !== undefined) this.#config.clock.clearTimeout(this.#pongTimer);
    this.#pongTimer = undefined;
  }

  #clearConnectTimer(): void {
    if (this.#connectTimer !== undefined) this.#config.clock.clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
  }

  /** Reads the state afresh (TypeScript would otherwise keep a narrowing across calls that change it). */
  #is(state: TransportState): boolean {
    return this.#state === state;
  }

  #setState(state: TransportState): void {
    this.#state = state;
    this.#stateChange.emit(state);
  }
}
