import { backendPorts, reverseBackendPorts, unreverseBackendPorts, type PortDevice } from './ports';

const backend = {
  urls: {
    services: {
      'api-gateway': 'http://127.0.0.1:40001',
      'payment-api': 'http://127.0.0.1:40002',
      'fraud-service': 'http://127.0.0.1:40003',
    },
    otlp: 'http://127.0.0.1:40100/v1/traces',
    spans: 'http://127.0.0.1:40100/__tracehop/spans',
  },
};

function fakeDevice(platform: string): PortDevice & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    getPlatform: () => platform,
    reverseTcpPort: async (port) => void calls.push(`reverse ${port}`),
    unreverseTcpPort: async (port) => void calls.push(`unreverse ${port}`),
  };
}

describe('backend port reversal', () => {
  it('lists every distinct backend port once, ascending', () => {
    expect(backendPorts(backend)).toEqual([40001, 40002, 40003, 40100]);
  });

  it('reverses every backend port on Android and undoes each on teardown', async () => {
    const device = fakeDevice('android');
    const ports = await reverseBackendPorts(device, backend);
    await unreverseBackendPorts(device, ports);
    expect(device.calls).toEqual([
      'reverse 40001',
      'reverse 40002',
      'reverse 40003',
      'reverse 40100',
      'unreverse 40001',
      'unreverse 40002',
      'unreverse 40003',
      'unreverse 40100',
    ]);
  });

  it("undoes the ports it reversed when adb fails part-way, and throws adb's error on", async () => {
    const device = fakeDevice('android');
    const reverse = device.reverseTcpPort;
    device.reverseTcpPort = async (port) => {
      if (port === 40003) throw new Error('adb: device offline');
      await reverse(port);
    };
    await expect(reverseBackendPorts(device, backend)).rejects.toThrow('adb: device offline');
    expect(device.calls).toEqual(['reverse 40001', 'reverse 40002', 'unreverse 40001', 'unreverse 40002']);
  });

  it.each(['ios', 'web'])('leaves %s alone: it shares the host loopback', async (platform) => {
    const device = fakeDevice(platform);
    expect(await reverseBackendPorts(device, backend)).toEqual([]);
    expect(device.calls).toEqual([]);
  });
});
