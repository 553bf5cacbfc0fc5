import { broken, CALL, CALLEE, neverReached, otlp, verdict, W3C } from './support-call-answers';

/** The refused calls' status messages, as the verdict quotes them. */
const UNAVAILABLE_DIAL = 'unavailable: dial tcp 10.0.0.9:8080: connect: connection refused';
const GRPC_DIAL =
  'connection error: desc = "transport: Error while dialing: dial tcp 10.0.0.9:8080: connect: connection refused"';

describe('tracehop check of a Connect RPC call (connect-go, connect-es: rpc.connect_rpc.error_code)', () => {
  const connect = (code?: string, extra: Record<string, string | number> = {}): Record<string, string | number> => ({
    'rpc.system': 'connect_rpc',
    ...(code === undefined ? {} : { 'rpc.connect_rpc.error_code': code }),
    ...extra,
  });

  it("ties the new trace to a call the callee answered internal, quoting its database's 'connection refused'", async () => {
    const message = 'internal: charge failed: dial tcp 10.0.0.7:5432: connect: connection refused';
    const dump = otlp({
      [CALL]: { attributes: connect('internal'), status: { code: 2, message } },
      [CALLEE]: { attributes: connect('internal'), status: { code: 2, message } },
    });
    expect(await verdict('connect-internal.jsonl', dump)).toEqual([1, broken(W3C)]);
  });

  it.each([
    ["its SERVER span's error code unavailable", connect('unavailable')],
    [
      "its SERVER span's HTTP status 503, the Connect protocol's unavailable",
      connect(undefined, { 'http.response.status_code': 503 }),
    ],
  ])('ties the new trace to a call payment-api answered unavailable itself (%s)', async (_label, calleeAttributes) => {
    const message = 'unavailable: payment store unavailable: dial tcp 10.0.0.7:5432: connect: connection refused';
    const dump = otlp({
      [CALL]: { attributes: connect('unavailable'), status: { code: 2, message } },
      [CALLEE]: { attributes: calleeAttributes, status: { code: 2, message } },
    });
    expect(await verdict('connect-unavailable.jsonl', dump)).toEqual([1, broken(W3C)]);
  });

  it('still takes a call the client could not connect for one that reached nobody, when the new trace answered', async () => {
    const message = 'unavailable: dial tcp 10.0.0.9:8080: connect: connection refused';
    const dump = otlp({
      [CALL]: { attributes: connect('unavailable'), status: { code: 2, message } },
      [CALLEE]: { attributes: connect() },
    });
    expect(await verdict('connect-refused.jsonl', dump)).toEqual([1, neverReached(UNAVAILABLE_DIAL)]);
  });
});

describe("tracehop check of an RPC in the newer conventions' words (rpc.response.status_code, error.type the code)", () => {
  /** A Connect RPC's span as the newer conventions write it: its code, and with `typed` error.type the same. */
  const rpc = (code?: string, typed = false): Record<string, string> => ({
    'rpc.system.name': 'connect_rpc',
    ...(code === undefined ? {} : { 'rpc.response.status_code': code }),
    ...(typed && code !== undefined ? { 'error.type': code } : {}),
  });

  it("ties the new trace to a call the callee answered internal, quoting its database's 'connection refused'", async () => {
    const message = 'internal: charge failed: dial tcp 10.0.0.7:5432: connect: connection refused';
    const dump = otlp({
      [CALL]: { attributes: rpc('internal'), status: { code: 2, message } },
      [CALLEE]: { attributes: rpc('internal'), status: { code: 2, message } },
    });
    expect(await verdict('rpc-internal.jsonl', dump)).toEqual([1, broken(W3C)]);
  });

  it('takes a call the client could not connect (error.type unavailable, connection refused) for one that reached nobody', async () => {
    const message = 'unavailable: dial tcp 10.0.0.9:8080: connect: connection refused';
    const dump = otlp({
      [CALL]: { attributes: rpc('unavailable', true), status: { code: 2, message } },
      [CALLEE]: { attributes: rpc() },
    });
    expect(await verdict('rpc-refused.jsonl', dump)).toEqual([1, neverReached(UNAVAILABLE_DIAL)]);
  });

  it('ties the new trace to a call payment-api answered UNAVAILABLE itself (gRPC, its SERVER span saying so)', async () => {
    const message = 'payment store unavailable: dial tcp 10.0.0.7:5432: connect: connection refused';
    const grpc = { 'rpc.system.name': 'grpc', 'rpc.response.status_code': 'UNAVAILABLE' };
    const dump = otlp({
      [CALL]: { attributes: grpc, status: { code: 2, message } },
      [CALLEE]: { attributes: grpc, status: { code: 2, message } },
    });
    expect(await verdict('rpc-unavailable.jsonl', dump)).toEqual([1, broken(W3C)]);
  });
  it.each([
    ['the string "14"', '14'],
    ['the number 14', 14],
  ])(
    'takes a refused gRPC call whose rpc.response.status_code is UNAVAILABLE as %s for one that reached nobody',
    async (_label, code) => {
      const message =
        'connection error: desc = "transport: Error while dialing: dial tcp 10.0.0.9:8080: connect: connection refused"';
      const dump = otlp({
        [CALL]: {
          attributes: { 'rpc.system.name': 'grpc', 'rpc.response.status_code': code },
          status: { code: 2, message },
        },
        [CALLEE]: { attributes: { 'http.response.status_code': 200 } },
      });
      expect(await verdict('rpc-refused-14.jsonl', dump)).toEqual([1, neverReached(GRPC_DIAL)]);
    },
  );
});

describe("tracehop check of an HTTP call whose error.type is an RPC code's name (unavailable)", () => {
  it('reads it as the cause it names, over a message quoting a refusal: the new trace is tied to the call', async () => {
    const dump = otlp({
      [CALL]: {
        attributes: { 'http.request.method': 'POST', 'error.type': 'unavailable' },
        status: { code: 2, message: 'connect ECONNREFUSED 10.0.0.9:8080' },
      },
      [CALLEE]: { attributes: { 'http.response.status_code': 200 } },
    });
    expect(await verdict('http-unavailable.jsonl', dump)).toEqual([1, broken(W3C)]);
  });
});
