import { SpanStatusCode } from '@opentelemetry/api';
import { jsonAnswer } from './internal/fetch-bridge';
import { HttpResponse, route, type HttpHandler } from './internal/msw';
import { callFromClientSpan, startServerSpan, type ServiceEnvironment } from './service';
import type { TopologyService } from './topology';
import { parseW3cBody, W3C_PATH } from './w3c-body';

/** `POST /__tracehop/w3c`: for each entry, in order, POST its arguments to its url from a CLIENT span. */
export function w3cHandler(env: ServiceEnvironment, service: TopologyService, origin: string): HttpHandler {
  return route('POST', `${origin}${W3C_PATH}`, async ({ request }) => {
    const { span, incoming, context } = startServerSpan(env, request, `POST ${W3C_PATH}`);
    const parsed = parseW3cBody(await request.text());
    if (!parsed.ok) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: parsed.message });
      span.end();
      return HttpResponse.text(`${parsed.message}\n`, { status: 400 });
    }
    const statuses: number[] = [];
    for (const callback of parsed.value) {
      const call = { service: new URL(callback.url).host, method: 'POST', path: new URL(callback.url).pathname };
      statuses.push(
        await callFromClientSpan(
          env,
          service,
          context,
          incoming,
          call,
          callback.url,
          JSON.stringify(callback.arguments),
        ),
      );
    }
    span.end();
    return jsonAnswer({ service: service.name, statuses });
  });
}
