// Live updates over /api/ws: one socket per page, shared by every screen that subscribes to a topic.
// Topics: "models" (training jobs, new models) and "conversation:<sender_id>" (a conversation's new events).
import { getToken } from "./api.js";
import { useEffect, useRef } from "./html.js";

const RETRY_MS = [500, 1000, 2000, 5000, 10000];
const CLOSED_FOR_BAD_TOKEN = 4401;

class PushChannel {
  constructor() {
    this.handlers = new Map(); // topic -> Set of handlers
    this.socket = null;
    this.retries = 0;
  }

  subscribe(topic, handler) {
    if (!this.handlers.has(topic)) this.handlers.set(topic, new Set());
    const handlers = this.handlers.get(topic);
    handlers.add(handler);
    if (handlers.size === 1) this.send({ subscribe: topic });
    this.connect();
    return () => {
      handlers.delete(handler);
      if (handlers.size === 0) {
        this.handlers.delete(topic);
        this.send({ unsubscribe: topic });
      }
    };
  }

  connect() {
    if (this.socket || !getToken()) return;
    const socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/ws`);
    this.socket = socket;
    socket.onopen = () => {
      this.retries = 0;
      socket.send(JSON.stringify({ token: getToken() }));
      for (const topic of this.handlers.keys()) socket.send(JSON.stringify({ subscribe: topic }));
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      for (const handler of this.handlers.get(message.topic) || []) handler(message);
    };
    socket.onclose = (event) => {
      this.socket = null;
      if (event.code === CLOSED_FOR_BAD_TOKEN || this.handlers.size === 0) return;
      const delay = RETRY_MS[Math.min(this.retries++, RETRY_MS.length - 1)];
      setTimeout(() => this.connect(), delay);
    };
  }

  send(message) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}

const channel = new PushChannel();

/**
 * Call `handler(message)` for every message pushed on `topic` while the component is shown (null: none). It also
 * gets `{type: "subscribed"}` each time the subscription takes, after a reconnect too: what changed before then was
 * not pushed, so a screen that shows live state reloads it then.
 */
export function usePush(topic, handler) {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!topic) return undefined;
    return channel.subscribe(topic, (message) => latest.current(message));
  }, [topic]);
}
