import { broken, CALL, CALLEE, neverReached, otlp, verdict, W3C } from './support-call-answers';

describe('tracehop check of a Java call whose exception is a wrapper (the cause in its message)', () => {
  const quoted = '"{"message":"charge failed: connect ECONNREFUSED 10.0.0.7:5432"}"';
  it.each([
    [
      'java.util.concurrent.CompletionException',
      `org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 Internal Server Error: ${quoted}`,
    ],
    [
      'java.util.concurrent.ExecutionException',
      `feign.FeignException$InternalServerError: [500 Internal Server Error] during [POST] to [http://payment-api:8080/payments] [PaymentClient#charge(Charge)]: [${quoted}]`,
    ],
  ])("ties the new trace to a call a %s ended, its cause the callee's 500 quoting a refusal", async (type, message) => {
    const dump = otlp({
      [CALL]: { attributes: {}, status: { code: 2 }, exceptions: [{ type, message }] },
      [CALLEE]: { attributes: { 'http.response.status_code': 500 }, status: { code: 2 } },
    });
    expect(await verdict('wrapped-answer.jsonl', dump)).toEqual([1, broken(W3C)]);
  });

  it.each([
    [
      'org.springframework.web.client.ResourceAccessException',
      'I/O error on POST request for "http://payment-api:8080/payments": Connection refused; nested exception is java.net.ConnectException: Connection refused',
    ],
    ['java.util.concurrent.CompletionException', 'java.net.ConnectException: Connection refused'],
    [
      'reactor.core.Exceptions$ReactiveException',
      'io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: payment-api/10.0.0.9:8080',
    ],
  ])(
    'still takes a call a %s ended, its cause a refused connection, for one that reached nobody',
    async (type, message) => {
      const dump = otlp({
        [CALL]: { attributes: {}, status: { code: 2 }, exceptions: [{ type, message }] },
        [CALLEE]: { attributes: { 'http.response.status_code': 200 } },
      });
      expect(await verdict('wrapped-refusal.jsonl', dump)).toEqual([1, neverReached()]);
    },
  );
});

describe("tracehop check of a call Feign's RetryableException ended, quoting OkHttp's refusal of a named host", () => {
  it('takes it for one that reached nobody: no new trace started meanwhile is its', async () => {
    const message = 'Failed to connect to payment-api/10.0.0.9:8080 executing POST http://payment-api:8080/payments';
    const dump = otlp({
      [CALL]: { attributes: {}, status: { code: 2 }, exceptions: [{ type: 'feign.RetryableException', message }] },
      [CALLEE]: { attributes: { 'http.response.status_code': 200 } },
    });
    expect(await verdict('feign-okhttp.jsonl', dump)).toEqual([1, neverReached()]);
  });
});
