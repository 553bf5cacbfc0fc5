import type { BackendEndpoints } from './launch-args';

/** The part of Detox's `device` that port reversal needs. */
export interface PortDevice {
  getPlatform(): string;
  reverseTcpPort(port: number): Promise<void>;
  unreverseTcpPort(port: number): Promise<void>;
}

/** A backend's URLs, including where spans are read (reversed too, so nothing is left unreachable). */
export interface BackendPortUrls extends BackendEndpoints {
  readonly urls: BackendEndpoints['urls'] & { readonly spans?: string };
}

/** Every distinct TCP port the backend listens on, ascending. */
export function backendPorts(backend: BackendPortUrls): number[] {
  const urls = [
    ...Object.values(backend.urls.services),
    backend.urls.otlp,
    ...(backend.urls.spans ? [backend.urls.spans] : []),
  ];
  const ports = new Set<number>();
  for (const url of urls) {
    const parsed = new URL(url);
    ports.add(Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)));
  }
  return [...ports].sort((a, b) => a - b);
}

/**
 * Makes the backend reachable as `localhost` from the app: on Android every port is reversed with adb
 * (`device.reverseTcpPort`); iOS simulators share the host's loopback and the web build runs on the
 * host, so they need nothing. Returns the ports it reversed, for `unreverseBackendPorts`. When adb fails part-way, the
 * ports reversed so far are undone (best effort) before the error is thrown on.
 */
export async function reverseBackendPorts(device: PortDevice, backend: BackendPortUrls): Promise<number[]> {
  if (device.getPlatform() !== 'android') return [];
  const ports = backendPorts(backend);
  const reversed: number[] = [];
  try {
    for (const port of ports) {
      await device.reverseTcpPort(port);
      reversed.push(port);
    }
  } catch (error) {
    // The caller gets no list to undo: undo what was reversed here, so no stale rule outlives the failure.
    await unreverseBackendPorts(device, reversed).catch(() => undefined);
    throw error;
  }
  return ports;
}

/** Undoes `reverseBackendPorts` (teardown), so the next worker's ports do not collide with stale rules. */
export async function unreverseBackendPorts(device: PortDevice, ports: readonly number[]): Promise<void> {
  for (const port of ports) await device.unreverseTcpPort(port);
}
