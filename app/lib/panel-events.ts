import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";

/**
 * Live panel changes within this process. A change made here is announced
 * at once; one made by another instance on the same PostgreSQL arrives
 * through LISTEN/NOTIFY (app/server/live-listener.ts) and is announced here.
 */
// One per process: the server (tsx) and the Remix build each load this module, and both must share it.
const shared = globalThis as typeof globalThis & { thresholdPanelEvents?: { emitter: EventEmitter; instance: string } };
shared.thresholdPanelEvents ??= { emitter: new EventEmitter(), instance: randomUUID() };
const emitter = shared.thresholdPanelEvents.emitter;
// One listener per open live page: hundreds is normal, not a leak.
emitter.setMaxListeners(0);

/** Names this process in notifications, so it ignores its own. */
export const INSTANCE = shared.thresholdPanelEvents.instance;

export function emitPanelChange(panelId: number) {
  emitter.emit(`panel:${panelId}`);
}

/** Someone's sessions or access changed (signed out, deactivated, role or area changed): their open streams check again. */
export function emitAccessChange(userId: number) {
  emitter.emit(`user:${userId}`);
}

export function onAccessChange(userId: number, listener: () => void): () => void {
  emitter.on(`user:${userId}`, listener);
  return () => emitter.off(`user:${userId}`, listener);
}

export function onPanelChange(panelId: number, listener: () => void): () => void {
  emitter.on(`panel:${panelId}`, listener);
  return () => emitter.off(`panel:${panelId}`, listener);
}

/** Live pages open in this process now (each subscribes to its panel once): for the metrics. */
export function openLiveStreams(): number {
  return emitter.eventNames().reduce((sum, name) => sum + (String(name).startsWith("panel:") ? emitter.listenerCount(name) : 0), 0);
}
