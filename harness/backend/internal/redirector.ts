import type { IncomingMessage, ServerResponse } from 'node:http';
import { failure } from '../../internal/messages';
import type { CaptureLog } from '../capture-log';
import { headerEntries } from '../capture-log';
import { CALL_ID_HEADER } from '../../model';
import { writeText } from './fetch-bridge';
import { listen, type Listener } from './listener';

/** Where one redirected call goes: the service it was meant for and its real URL. */
export interface RedirectTarget {
  readonly service: string;
  readonly firstParty: boolean;
  readonly url: string;
}

/**
 * The second listener of the fault `redirect-drops-headers`: a faulty service's downstream call reaches it
 * first, and it answers 307 to the real URL, as an ingress that moved a route does. Each request is
 * recorded in the capture log under the service the call was meant for, with its 307 answer.
 */
export interface Redirector {
  readonly url: string;
  /** Registers a call (by its call id) about to be sent here; returns the URL to send it to. */
  expect(callId: string, target: RedirectTarget, pathAndQuery: string): string;
  close(): Promise<void>;
}

export async function startRedirector(captures: CaptureLog): Promise<Redirector> {
  const pending = new Map<string, RedirectTarget>();
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const headers = headerEntries(request.rawHeaders);
    const callId = headers.find(([name]) => name === CALL_ID_HEADER)?.[1];
    const target = callId === undefined ? undefined : pending.get(callId);
    request.resume();
    if (callId === undefined || target === undefined) {
      writeText(
        response,
        404,
        failure('redirect the request', 'no call is registered for it', 'Only faulty services send requests here.'),
      );
      return;
    }
    pending.delete(callId);
    const entry = captures.record({
      service: target.service,
      firstParty: target.firstParty,
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers,
      timeMs: Date.now(),
    });
    captures.attachResponse(entry.seq, { status: 307, headers: [['location', target.url]] });
    response.writeHead(307, { location: target.url, 'content-length': '0' });
    response.end();
  };
  const listener: Listener = await listen(handle);
  return {
    url: listener.url,
    expect(callId, target, pathAndQuery) {
      pending.set(callId, target);
      return `${listener.url}${pathAndQuery}`;
    },
    close: () => listener.close(),
  };
}
