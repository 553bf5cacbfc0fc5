/**
 * tracehop/backend: the mock backend (`startBackend`: a 127.0.0.1 listener per service of the topology, an OTLP
 * receiver over HTTP and gRPC on one port, the span store and the capture log), its topology, ports and faults,
 * and the building blocks a custom server can reuse (receiver, forwarder, CORS, the W3C participant endpoint).
 */
// starting a backend
export { startBackend } from './start-backend';
// topology
export { DEFAULT_TOPOLOGY } from './default-topology';
export { parseTopology, parseTopologyText } from './topology';
export { readTopologyFile, type TopologyFileHints } from './topology-file';
export { OTLP_PORT_NAME, parsePortList, resolvePorts } from './ports';
// faults
export { describeFault, FAULT_CAUSES, FAULT_NAMES, isFaultName, parseFaultList, validateFaults } from './faults';
// stores
export { SpanStore } from './span-store';
export { CaptureLog, headerEntries } from './capture-log';
// building blocks for custom servers
export { createOtlpReceiver, decodeJsonExport } from './otlp-receiver';
export type { DecodeOutcome, DecodedExport, ExportDecodeReason } from './otlp-receiver';
export type { W3cBodyReason, W3cBodyResult, W3cCallback } from './w3c-body';
export { createForwarder, forwardUrlFrom } from './forwarder';
export { CORS_ALLOWED_HEADERS, corsHeaders } from './cors';
export { W3C_PATH, parseW3cBody } from './w3c-body';

export type { Backend, BackendOptions, BackendUrls } from './start-backend';
export type {
  Topology,
  TopologyCall,
  TopologyReason,
  TopologyResult,
  TopologyRoute,
  TopologyService,
} from './topology';
export type { PortsReason, PortsResult } from './ports';
export type { FaultListReason, FaultListResult, FaultName, FaultSetting } from './faults';
export type { WaitOptions } from './span-store';
export type { CaptureEntry, CaptureInput } from './capture-log';
export type { ClearedCounts, OtlpReceiverOptions } from './otlp-receiver';
export type { ForwarderOptions, SpanForwarder } from './forwarder';
