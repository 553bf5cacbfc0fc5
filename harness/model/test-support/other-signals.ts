import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { ProtobufLogsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';

/**
 * OTLP protobuf requests of the other signals, as the OpenTelemetry JS SDK exports them: what a Collector
 * file exporter shared by the traces, metrics and logs pipelines writes beside trace requests.
 */

/** Two log records as the OpenTelemetry JS SDK exports them over OTLP protobuf. */
export async function sdkLogsRequest(): Promise<Uint8Array> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'payment-api' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('tracehop-test');
  logger.emit({ body: 'payment accepted', severityText: 'INFO', attributes: { 'order.id': 'A-1' } });
  logger.emit({ body: 'fraud score 0.1', severityText: 'INFO' });
  await provider.forceFlush();
  return ProtobufLogsSerializer.serializeRequest(exporter.getFinishedLogRecords()) as Uint8Array;
}

/** A counter and a histogram as the OpenTelemetry JS SDK exports them over OTLP protobuf. */
export async function sdkMetricsRequest(): Promise<Uint8Array> {
  class Reader extends MetricReader {
    protected override onShutdown(): Promise<void> {
      return Promise.resolve();
    }
    protected override onForceFlush(): Promise<void> {
      return Promise.resolve();
    }
  }
  const reader = new Reader();
  const provider = new MeterProvider({ readers: [reader] });
  const meter = provider.getMeter('tracehop-test');
  meter.createCounter('orders').add(2);
  meter.createHistogram('checkout.duration').record(12.5);
  const { resourceMetrics } = await reader.collect();
  return ProtobufMetricsSerializer.serializeRequest(resourceMetrics) as Uint8Array;
}
